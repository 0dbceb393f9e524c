#!/bin/sh
# Vendor a browser library into the package, so no page loads anything from a CDN at run time.
# Run from anywhere; needs npm. The copied files are committed to the repository.
#
#   scripts/vendor.sh swagger-ui [VERSION]   swagger-ui-dist (Apache-2.0) for /docs
#   scripts/vendor.sh yasgui [VERSION]       @triply/yasgui (MIT) for the query page
#
# VERSION defaults to the one pinned below. The package's declared licence is checked first.
set -eu

WHAT="${1:?usage: scripts/vendor.sh swagger-ui|yasgui [VERSION]}"
case "$WHAT" in
    swagger-ui) PACKAGE=swagger-ui-dist; VERSION="${2:-5.35.0}"; EXPECTED=Apache-2.0 ;;
    yasgui) PACKAGE=@triply/yasgui; VERSION="${2:-4.2.28}"; EXPECTED=MIT ;;
    *) echo "vendor.sh: unknown library '$WHAT' (swagger-ui or yasgui)" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/service/plenipot/web/static/vendor/$WHAT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "$PACKAGE@$VERSION" >/dev/null
tar -xzf ./*.tgz

LICENSE="$(node -p "require('./package/package.json').license")"
if [ "$LICENSE" != "$EXPECTED" ]; then
    echo "vendor.sh: $PACKAGE@$VERSION is licensed '$LICENSE', not $EXPECTED; stopping" >&2
    exit 1
fi

HOME_PAGE="$(node -p "const p = require('./package/package.json'); \
    p.homepage || (p.repository && (p.repository.url || p.repository)) || 'https://www.npmjs.com/package/' + p.name")"

mkdir -p "$DEST"
rm -f "$DEST"/*
if [ "$WHAT" = swagger-ui ]; then
    # the bundle carries its dependencies; the CSS styles it (the standalone preset is not used)
    cp package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE "$DEST/"
    [ -f package/NOTICE ] && cp package/NOTICE "$DEST/"
    # the source maps' last lines would make browsers request files we do not ship
    sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/swagger-ui-bundle.js"
    sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$DEST/swagger-ui.css"
else
    # yasgui.min.js bundles YASQE, YASR and their dependencies; yasgui.min.css styles all three
    cp package/build/yasgui.min.js package/build/yasgui.min.css "$DEST/"
    cp package/build/yasgui.min.js.LICENSE.txt "$DEST/THIRD-PARTY-LICENSES.txt"
    cp package/LICENSE.txt "$DEST/LICENSE.txt"
    # the source map's last line would make browsers request a file we do not ship
    sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/yasgui.min.js"
fi
cat > "$DEST/VERSION" <<INFO
$PACKAGE $VERSION ($LICENSE), from $HOME_PAGE
vendored by scripts/vendor.sh on $(date -u +%Y-%m-%d)
INFO
echo "vendored $PACKAGE@$VERSION into $DEST"
ls -l "$DEST"
