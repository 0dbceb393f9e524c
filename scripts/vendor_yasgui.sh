#!/bin/sh
# Vendor YASGUI (@triply/yasgui, MIT) into the package, so the query page loads nothing from a
# CDN at run time. Run from anywhere; needs npm. The copied files are committed to the repository.
#
#   scripts/vendor_yasgui.sh [VERSION]     (default: the version pinned below)
set -eu

VERSION="${1:-4.2.28}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/service/plenipot/web/static/vendor/yasgui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "@triply/yasgui@$VERSION" >/dev/null
tar -xzf "triply-yasgui-$VERSION.tgz"

LICENSE="$(node -p "require('./package/package.json').license")"
if [ "$LICENSE" != "MIT" ]; then
    echo "vendor_yasgui: @triply/yasgui@$VERSION is licensed '$LICENSE', not MIT; stopping" >&2
    exit 1
fi

mkdir -p "$DEST"
rm -f "$DEST"/*
# yasgui.min.js bundles YASQE, YASR and their dependencies; yasgui.min.css styles all three.
cp package/build/yasgui.min.js package/build/yasgui.min.css "$DEST/"
cp package/build/yasgui.min.js.LICENSE.txt "$DEST/THIRD-PARTY-LICENSES.txt"
cp package/LICENSE.txt "$DEST/LICENSE.txt"
# the source map's last line would make browsers request a file we do not ship
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/yasgui.min.js"
cat > "$DEST/VERSION" <<INFO
@triply/yasgui $VERSION (MIT), from $(node -p "require('./package/package.json').homepage")
vendored by scripts/vendor_yasgui.sh on $(date -u +%Y-%m-%d)
INFO
echo "vendored @triply/yasgui@$VERSION into $DEST"
ls -l "$DEST"
