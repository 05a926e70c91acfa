#!/usr/bin/env bash
# Puts the licence of everything an install ships into its doc folder, with an index (copyright):
#   Scripts/package/write-licences.sh INSTALLED_PIPELINES_DIR DOC_DIR
# posepipe's own LICENSE; each model's and detector's LICENSE* (models/NAME/); ONNX Runtime's licence
# and third-party notices (onnxruntime/); and those of what the static link put into the binary:
# Swift's runtime, Foundation and Dispatch (swift/) and swift-argument-parser.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PIPELINES="$1"
DOC="$2"
die() { printf 'licences: error: %s\n' "$*" >&2; exit 1; }

SWIFT_LICENSE=/opt/swift/usr/share/swift/LICENSE.txt
PARSER_LICENSE="$ROOT/.build/checkouts/swift-argument-parser/LICENSE.txt"
for f in "$ROOT/LICENSE" "$ROOT/.deps/onnxruntime/LICENSE" "$ROOT/.deps/onnxruntime/ThirdPartyNotices.txt" \
         "$SWIFT_LICENSE" "$PARSER_LICENSE"; do
    [ -f "$f" ] || die "missing $f"
done

install -d "$DOC/models" "$DOC/onnxruntime" "$DOC/swift" "$DOC/swift-argument-parser"
install -m 0644 "$ROOT/LICENSE" "$DOC/LICENSE"
install -m 0644 "$ROOT/.deps/onnxruntime/LICENSE" "$ROOT/.deps/onnxruntime/ThirdPartyNotices.txt" "$DOC/onnxruntime/"
install -m 0644 "$SWIFT_LICENSE" "$DOC/swift/LICENSE.txt"
install -m 0644 "$PARSER_LICENSE" "$DOC/swift-argument-parser/LICENSE.txt"

models=""
while IFS= read -r -d '' licence; do
    rel="${licence#"$PIPELINES"/}"
    install -d "$DOC/models/$(dirname "$rel")"
    install -m 0644 "$licence" "$DOC/models/$rel"
    models+="  models/$rel"$'\n'
done < <(find "$PIPELINES" -type f -name 'LICENSE*' -print0 | sort -z)
[ -n "$models" ] || die "no model licences under $PIPELINES"

# One line per pipeline: its name and the licence its pipeline.json declares.
declared="$(python3 - "$PIPELINES" <<'EOF'
import json, pathlib, sys
for f in sorted(pathlib.Path(sys.argv[1]).glob("*/pipeline.json")):
    print(f"  {f.parent.name}: {json.loads(f.read_text()).get('license', '(none declared)')}")
EOF
)"

cat >"$DOC/copyright" <<EOF
posepipe: video in, human keypoint tracks out.

posepipe
  Copyright the posepipe authors. Apache License 2.0: LICENSE (the same text as
  /usr/share/common-licenses/Apache-2.0 on Debian).

Models and detectors (share/posepipe/Pipelines/), each with its licence beside it and here:
$models
  What each pipeline declares (posepipe pipelines lists the same):
$declared

ONNX Runtime (lib/posepipe/libonnxruntime.so.*), from PyPI's onnxruntime wheel
  Copyright Microsoft Corporation. MIT: onnxruntime/LICENSE; the notices of what it contains:
  onnxruntime/ThirdPartyNotices.txt.

Linked into bin/posepipe
  The Swift standard library, Foundation, Dispatch (Swift toolchain): Apache License 2.0 with the
  Runtime Library Exception, swift/LICENSE.txt. Foundation carries ICU's code and data (Unicode
  License v3; Copyright Unicode, Inc. and others).
  swift-argument-parser: Apache License 2.0, swift-argument-parser/LICENSE.txt.
  FFmpeg is not linked in: its libraries are Debian's packages, with their own copyright files.
EOF
chmod 0644 "$DOC/copyright"
