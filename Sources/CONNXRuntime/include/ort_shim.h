#ifndef POSEPIPE_ORT_SHIM_H
#define POSEPIPE_ORT_SHIM_H

// A narrow, Swift-friendly face over ONNX Runtime's C API. It names none of ONNX Runtime's
// own types, so Swift code imports this header without the fetched one, and the library is
// loaded with dlopen: a missing runtime becomes a clear error instead of a loader failure.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads the shared library at `library_path` and creates the process-wide environment.
/// Safe to call more than once and from several threads; only the first call loads.
/// Returns 0 on success, otherwise writes a message into `error`.
int pp_ort_init(const char *library_path, char *error, size_t error_size);

/// The loaded library's version string (`1.31.1`); "" before a successful pp_ort_init.
const char *pp_ort_version(void);

/// The file the library was loaded from, as the dynamic loader resolved it; "" before a
/// successful pp_ort_init.
const char *pp_ort_library_path(void);

typedef struct pp_ort_session pp_ort_session;

/// Opens a model with its own intra-op thread count; NULL on failure with `error` filled.
pp_ort_session *pp_ort_session_open(const char *model_path, int intra_op_threads,
                                    char *error, size_t error_size);

void pp_ort_session_close(pp_ort_session *session);

/// Input element types `pp_ort_run` takes (ONNX's TensorProto codes).
enum { PP_ORT_FLOAT = 1, PP_ORT_UINT8 = 2 };

/// Runs one input of `input_type` (PP_ORT_FLOAT or PP_ORT_UINT8) into caller-owned float32
/// output buffers of known shapes.
/// Returns 0 on success, otherwise writes a message into `error`.
int pp_ort_run(pp_ort_session *session,
               const char *input_name, const void *input, int input_type,
               const int64_t *input_shape, size_t input_rank,
               size_t output_count, const char *const *output_names,
               float *const *output_data,
               const int64_t *output_shapes, const size_t *output_ranks,
               char *error, size_t error_size);

/// One output whose shape is known only after the run: `data` holds `count` values (float32, or
/// integer outputs converted to float) allocated with malloc, `shape` its `rank` dimensions.
typedef struct {
    float *data;
    size_t count;
    int64_t shape[8];
    size_t rank;
} pp_ort_value;

/// Runs one input like `pp_ort_run`, letting ONNX Runtime size the outputs (detectors whose
/// number of boxes changes from run to run). Fills `values[i]` for each output name; free
/// each `values[i].data` with free(). Returns 0 on success, otherwise writes `error`.
int pp_ort_run_sized(pp_ort_session *session,
                     const char *input_name, const void *input, int input_type,
                     const int64_t *input_shape, size_t input_rank,
                     size_t output_count, const char *const *output_names,
                     pp_ort_value *values, char *error, size_t error_size);

/// How many inputs (`outputs` = 0) or outputs (`outputs` = 1) the model declares.
size_t pp_ort_session_io_count(pp_ort_session *session, int outputs);

/// Name, element type (ONNX's TensorProto code: 1 float, 2 uint8, …) and shape of one
/// declared input or output; a dimension the model leaves free is -1. `rank` receives the
/// true rank even when it exceeds `max_rank` (only `max_rank` dims are written).
/// Returns 0 on success, otherwise writes a message into `error`.
int pp_ort_session_io_info(pp_ort_session *session, int outputs, size_t index,
                           char *name, size_t name_size, int *element_type,
                           int64_t *dims, size_t max_rank, size_t *rank,
                           char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
