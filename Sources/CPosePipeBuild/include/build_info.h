#ifndef POSEPIPE_BUILD_INFO_H
#define POSEPIPE_BUILD_INFO_H

/// The git revision this binary was built from (`Scripts/package/` sets it through the
/// POSEPIPE_REVISION environment variable that Package.swift reads); "" when not set.
const char *pp_build_revision(void);

#endif
