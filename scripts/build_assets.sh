#!/usr/bin/env bash
# Copies the front-end assets installed from the npm registry into the static folder that
# Django serves locally. Nothing is fetched at run time.
set -euo pipefail
out=src/likvard/web/static_build/vendor
rm -rf "$out"
mkdir -p "$out"/{pico,htmx,vega,axe}
cp node_modules/@picocss/pico/css/pico.min.css "$out/pico/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
   node_modules/vega-embed/build/vega-embed.min.js "$out/vega/"
cp node_modules/axe-core/axe.min.js "$out/axe/"
