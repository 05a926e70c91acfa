#!/usr/bin/env bash
# Prints the Debian archives this machine's apt uses for its own release (CODENAME, -updates,
# -security), one sources.list line each, as apt itself resolved its configuration:
#   Scripts/lib/debian-sources.sh [CODENAME]     (default: this machine's)
# For a chroot that must fetch from where this machine does (mirrors, proxies) without a host
# name written into any file of the project. Exits 1, saying so, when there is none.
set -euo pipefail
codename="${1:-}"
if [ -z "$codename" ] && [ -r /etc/os-release ]; then codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"; fi
[ -n "$codename" ] || { echo "debian-sources: no release codename (give one)" >&2; exit 1; }
# One line per archive and suite, its components gathered; other suites (another vendor's
# "nodistro", a cloud SDK's) and source entries are left out.
lines="$(apt-get indextargets --format '$(TARGET_OF) $(SITE) $(RELEASE) $(COMPONENT)' \
    | awk -v c="$codename" '
        $1 == "deb" && ($3 == c || $3 == c "-updates" || $3 == c "-security") {
            key = $2 " " $3
            if (!(key in comps)) { order[++n] = key; comps[key] = $4 }
            else if ((" " comps[key] " ") !~ (" " $4 " ")) comps[key] = comps[key] " " $4
        }
        END { for (i = 1; i <= n; i++) print "deb " order[i] " " comps[order[i]] }')"
[ -n "$lines" ] || { echo "debian-sources: apt has no $codename archive configured" >&2; exit 1; }
printf '%s\n' "$lines"
