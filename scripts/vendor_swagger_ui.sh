#!/bin/sh
# Vendor Swagger UI (swagger-ui-dist, Apache-2.0) into the package, so /docs loads nothing from a
# CDN at run time. Run from anywhere; needs npm. The copied files are committed to the repository.
#
#   scripts/vendor_swagger_ui.sh [VERSION]     (default: the version pinned below)
set -eu

VERSION="${1:-5.35.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/service/plenipot/web/static/vendor/swagger-ui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null
tar -xzf "swagger-ui-dist-$VERSION.tgz"

LICENSE="$(node -p "require('./package/package.json').license")"
if [ "$LICENSE" != "Apache-2.0" ]; then
    echo "vendor_swagger_ui: swagger-ui-dist@$VERSION is licensed '$LICENSE', not Apache-2.0; stopping" >&2
    exit 1
fi

mkdir -p "$DEST"
rm -f "$DEST"/*
# the bundle carries its dependencies; the CSS styles it (the standalone preset is not used)
cp package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE "$DEST/"
[ -f package/NOTICE ] && cp package/NOTICE "$DEST/"
# the source maps' last lines would make browsers request files we do not ship
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/swagger-ui-bundle.js"
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$DEST/swagger-ui.css"
cat > "$DEST/VERSION" <<INFO
swagger-ui-dist $VERSION (Apache-2.0), from $(node -p "require('./package/package.json').homepage")
vendored by scripts/vendor_swagger_ui.sh on $(date -u +%Y-%m-%d)
INFO
echo "vendored swagger-ui-dist@$VERSION into $DEST"
ls -l "$DEST"
