#include "build_info.h"

// Package.swift defines it, from the environment; this file alone rebuilds when it changes.
#ifndef POSEPIPE_REVISION
#define POSEPIPE_REVISION ""
#endif

const char *pp_build_revision(void) { return POSEPIPE_REVISION; }
