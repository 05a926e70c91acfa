// dladdr and Dl_info are GNU extensions in glibc.
#define _GNU_SOURCE
#include "ort_shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <onnxruntime_c_api.h>

struct pp_ort_session {
    OrtSession *session;
    OrtMemoryInfo *memory;
};

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static const OrtApi *api = NULL;
static const OrtApiBase *api_base = NULL;
static OrtEnv *env = NULL;

static void set_error(char *error, size_t size, const char *prefix, const char *message) {
    if (error && size > 0) snprintf(error, size, "%s%s", prefix, message ? message : "");
}

// Converts an OrtStatus into the caller's message and frees it; returns 0 when there was none.
static int take_status(OrtStatus *status, char *error, size_t size) {
    if (status == NULL) return 0;
    set_error(error, size, "", api->GetErrorMessage(status));
    api->ReleaseStatus(status);
    return -1;
}

int pp_ort_init(const char *library_path, char *error, size_t error_size) {
    pthread_mutex_lock(&init_lock);
    if (env != NULL) {
        pthread_mutex_unlock(&init_lock);
        return 0;
    }
    int result = -1;
    void *handle = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        set_error(error, error_size, "cannot load ONNX Runtime: ", dlerror());
        goto done;
    }
    typedef const OrtApiBase *(*GetApiBase)(void);
    GetApiBase get_base = (GetApiBase)dlsym(handle, "OrtGetApiBase");
    if (get_base == NULL) {
        set_error(error, error_size, "not an ONNX Runtime library (no OrtGetApiBase): ", library_path);
        goto done;
    }
    const OrtApiBase *base = get_base();
    // The header is older than the library; asking for the header's API version is the
    // documented way to get a table whose layout matches what this file was compiled against.
    const OrtApi *candidate = base->GetApi(ORT_API_VERSION);
    if (candidate == NULL) {
        set_error(error, error_size, "ONNX Runtime does not offer the needed API version: ",
                  base->GetVersionString());
        goto done;
    }
    api = candidate;
    api_base = base;
    OrtEnv *created = NULL;
    /* Fatal messages only: every error also comes back as a status, which posepipe reports as its one
       line on stderr; the runtime's own log would print it a second time, over several lines. */
    if (take_status(api->CreateEnv(ORT_LOGGING_LEVEL_FATAL, "posepipe", &created), error, error_size) != 0) {
        api = NULL;
        api_base = NULL;
        goto done;
    }
    env = created;
    result = 0;
done:
    pthread_mutex_unlock(&init_lock);
    return result;
}

const char *pp_ort_version(void) {
    return api_base ? api_base->GetVersionString() : "";
}

const char *pp_ort_library_path(void) {
    // dladdr names the file the loader actually mapped: the path given to dlopen may have been
    // a bare soname found through the loader's search path.
    Dl_info info;
    if (api_base == NULL || dladdr((const void *)api_base->GetVersionString, &info) == 0 || info.dli_fname == NULL) return "";
    return info.dli_fname;
}

pp_ort_session *pp_ort_session_open(const char *model_path, int intra_op_threads,
                                    char *error, size_t error_size) {
    if (env == NULL) {
        set_error(error, error_size, "", "ONNX Runtime is not initialised");
        return NULL;
    }
    pp_ort_session *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    OrtSessionOptions *options = NULL;
    if (take_status(api->CreateSessionOptions(&options), error, error_size) != 0) goto fail;
    if (take_status(api->SetIntraOpNumThreads(options, intra_op_threads), error, error_size) != 0) goto fail;
    if (take_status(api->SetInterOpNumThreads(options, 1), error, error_size) != 0) goto fail;
    if (take_status(api->SetSessionExecutionMode(options, ORT_SEQUENTIAL), error, error_size) != 0) goto fail;
    if (take_status(api->SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), error, error_size) != 0) goto fail;
    // Idle intra-op threads spin by default; with several sessions sharing two cores that
    // spinning steals the cores the other sessions need.
    if (take_status(api->AddSessionConfigEntry(options, "session.intra_op.allow_spinning", "0"), error, error_size) != 0) goto fail;
    if (take_status(api->CreateSession(env, model_path, options, &s->session), error, error_size) != 0) goto fail;
    if (take_status(api->CreateCpuMemoryInfo(OrtDeviceAllocator, OrtMemTypeDefault, &s->memory), error, error_size) != 0) goto fail;

    api->ReleaseSessionOptions(options);
    return s;
fail:
    if (options) api->ReleaseSessionOptions(options);
    pp_ort_session_close(s);
    return NULL;
}

void pp_ort_session_close(pp_ort_session *s) {
    if (s == NULL) return;
    if (s->memory) api->ReleaseMemoryInfo(s->memory);
    if (s->session) api->ReleaseSession(s->session);
    free(s);
}

static size_t element_count(const int64_t *shape, size_t rank) {
    size_t count = 1;
    for (size_t i = 0; i < rank; i++) count *= (size_t)shape[i];
    return count;
}

// Wraps the caller's input buffer as an OrtValue (no copy); 0 on success.
static int wrap_input(pp_ort_session *s, const void *input, int input_type, const int64_t *input_shape, size_t input_rank,
                      OrtValue **value, char *error, size_t error_size) {
    if (input_type != PP_ORT_FLOAT && input_type != PP_ORT_UINT8) {
        set_error(error, error_size, "", "input element type is neither float32 nor uint8");
        return -1;
    }
    size_t input_bytes = element_count(input_shape, input_rank) * (input_type == PP_ORT_FLOAT ? sizeof(float) : 1);
    // ONNX Runtime never writes to an input, so dropping const here is sound.
    return take_status(api->CreateTensorWithDataAsOrtValue(
                           s->memory, (void *)input, input_bytes, input_shape, input_rank,
                           input_type == PP_ORT_FLOAT ? ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT : ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8,
                           value),
                       error, error_size);
}

/* A run fetches at most this many outputs (the arrays below are on the stack). */
enum { max_outputs = 8 };

static int too_many_outputs(size_t count, char *error, size_t error_size) {
    if (count <= max_outputs) return 0;
    set_error(error, error_size, "", "too many outputs requested");
    return 1;
}

int pp_ort_run(pp_ort_session *s,
               const char *input_name, const void *input, int input_type,
               const int64_t *input_shape, size_t input_rank,
               size_t output_count, const char *const *output_names,
               float *const *output_data,
               const int64_t *output_shapes, const size_t *output_ranks,
               char *error, size_t error_size) {
    if (too_many_outputs(output_count, error, error_size)) return -1;
    int result = -1;
    OrtValue *input_value = NULL;
    OrtValue *outputs[max_outputs] = {0};
    size_t created = 0;
    if (wrap_input(s, input, input_type, input_shape, input_rank, &input_value, error, error_size) != 0) goto done;
    const int64_t *shape = output_shapes;
    for (; created < output_count; created++) {
        size_t rank = output_ranks[created];
        // Run writes straight into these caller-owned buffers: no copy after inference.
        if (take_status(api->CreateTensorWithDataAsOrtValue(
                            s->memory, output_data[created], element_count(shape, rank) * sizeof(float),
                            shape, rank, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &outputs[created]),
                        error, error_size) != 0)
            goto done;
        shape += rank;
    }
    const OrtValue *inputs[1] = {input_value};
    const char *input_names[1] = {input_name};
    if (take_status(api->Run(s->session, NULL, input_names, inputs, 1, output_names, output_count, outputs),
                    error, error_size) != 0)
        goto done;
    result = 0;
done:
    for (size_t i = 0; i < created; i++) api->ReleaseValue(outputs[i]);
    if (input_value) api->ReleaseValue(input_value);
    return result;
}

// Copies one ONNX Runtime-owned output into a malloc'ed float array.
static int copy_value(const OrtValue *value, pp_ort_value *out, char *error, size_t error_size) {
    OrtTensorTypeAndShapeInfo *info = NULL;
    int result = -1;
    if (take_status(api->GetTensorTypeAndShape(value, &info), error, error_size) != 0) return -1;
    ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
    size_t rank = 0, count = 0;
    if (take_status(api->GetTensorElementType(info, &type), error, error_size) != 0) goto done;
    if (take_status(api->GetDimensionsCount(info, &rank), error, error_size) != 0) goto done;
    if (rank > 8) {
        set_error(error, error_size, "", "output rank above 8");
        goto done;
    }
    if (take_status(api->GetDimensions(info, out->shape, rank), error, error_size) != 0) goto done;
    if (take_status(api->GetTensorShapeElementCount(info, &count), error, error_size) != 0) goto done;
    void *raw = NULL;
    if (take_status(api->GetTensorMutableData((OrtValue *)value, &raw), error, error_size) != 0) goto done;
    out->rank = rank;
    out->count = count;
    out->data = malloc((count ? count : 1) * sizeof(float));
    if (out->data == NULL) {
        set_error(error, error_size, "", "out of memory");
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        switch (type) {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: out->data[i] = ((const float *)raw)[i]; break;
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: out->data[i] = (float)((const int64_t *)raw)[i]; break;
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: out->data[i] = (float)((const int32_t *)raw)[i]; break;
        default:
            free(out->data);
            out->data = NULL;
            set_error(error, error_size, "", "output is neither float32 nor an integer type");
            goto done;
        }
    }
    result = 0;
done:
    api->ReleaseTensorTypeAndShapeInfo(info);
    return result;
}

int pp_ort_run_sized(pp_ort_session *s,
                     const char *input_name, const void *input, int input_type,
                     const int64_t *input_shape, size_t input_rank,
                     size_t output_count, const char *const *output_names,
                     pp_ort_value *values, char *error, size_t error_size) {
    if (too_many_outputs(output_count, error, error_size)) return -1;
    int result = -1;
    OrtValue *input_value = NULL;
    OrtValue *outputs[max_outputs] = {0};
    memset(values, 0, output_count * sizeof *values);
    if (wrap_input(s, input, input_type, input_shape, input_rank, &input_value, error, error_size) != 0) goto done;
    const OrtValue *inputs[1] = {input_value};
    const char *input_names[1] = {input_name};
    if (take_status(api->Run(s->session, NULL, input_names, inputs, 1, output_names, output_count, outputs),
                    error, error_size) != 0)
        goto done;
    for (size_t i = 0; i < output_count; i++) {
        if (copy_value(outputs[i], &values[i], error, error_size) != 0) {
            for (size_t j = 0; j < i; j++) {
                free(values[j].data);
                values[j].data = NULL;
            }
            goto done;
        }
    }
    result = 0;
done:
    for (size_t i = 0; i < output_count; i++)
        if (outputs[i]) api->ReleaseValue(outputs[i]);
    if (input_value) api->ReleaseValue(input_value);
    return result;
}

size_t pp_ort_session_io_count(pp_ort_session *s, int outputs) {
    size_t count = 0;
    OrtStatus *status = outputs ? api->SessionGetOutputCount(s->session, &count)
                                : api->SessionGetInputCount(s->session, &count);
    if (status) {
        api->ReleaseStatus(status);
        return 0;
    }
    return count;
}

int pp_ort_session_io_info(pp_ort_session *s, int outputs, size_t index,
                           char *name, size_t name_size, int *element_type,
                           int64_t *dims, size_t max_rank, size_t *rank,
                           char *error, size_t error_size) {
    int result = -1;
    OrtAllocator *allocator = NULL;
    char *found_name = NULL;
    OrtTypeInfo *type_info = NULL;
    if (take_status(api->GetAllocatorWithDefaultOptions(&allocator), error, error_size) != 0) goto done;
    if (take_status(outputs ? api->SessionGetOutputName(s->session, index, allocator, &found_name)
                            : api->SessionGetInputName(s->session, index, allocator, &found_name),
                    error, error_size) != 0)
        goto done;
    snprintf(name, name_size, "%s", found_name);
    if (take_status(outputs ? api->SessionGetOutputTypeInfo(s->session, index, &type_info)
                            : api->SessionGetInputTypeInfo(s->session, index, &type_info),
                    error, error_size) != 0)
        goto done;
    const OrtTensorTypeAndShapeInfo *tensor = NULL;
    if (take_status(api->CastTypeInfoToTensorInfo(type_info, &tensor), error, error_size) != 0) goto done;
    if (tensor == NULL) {
        set_error(error, error_size, "not a tensor: ", found_name);
        goto done;
    }
    ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
    size_t count = 0;
    if (take_status(api->GetTensorElementType(tensor, &type), error, error_size) != 0) goto done;
    if (take_status(api->GetDimensionsCount(tensor, &count), error, error_size) != 0) goto done;
    int64_t all[16] = {0};
    if (count > 16) {
        set_error(error, error_size, "tensor rank above 16: ", found_name);
        goto done;
    }
    if (take_status(api->GetDimensions(tensor, all, count), error, error_size) != 0) goto done;
    for (size_t i = 0; i < count && i < max_rank; i++) dims[i] = all[i];
    *rank = count;
    *element_type = (int)type;
    result = 0;
done:
    if (type_info) api->ReleaseTypeInfo(type_info);
    if (found_name && allocator) allocator->Free(allocator, found_name);
    return result;
}
