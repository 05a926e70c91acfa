#ifndef POSEPIPE_CFFMPEG_SHIM_H
#define POSEPIPE_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/parseutils.h>
#include <libavutil/pixdesc.h>
#include <libavutil/opt.h>
#include <libavutil/mathematics.h>

// Function-like macros do not cross into Swift; these spell them as functions.
static inline int posepipe_averror(int code) { return AVERROR(code); }
static inline int posepipe_averror_eof(void) { return AVERROR_EOF; }
static inline int posepipe_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int posepipe_averror_exit(void) { return AVERROR_EXIT; }
static inline int64_t posepipe_nopts_value(void) { return AV_NOPTS_VALUE; }

#endif
