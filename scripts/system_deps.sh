#!/usr/bin/env bash
# Installs the Debian packages the suite needs when they are missing (machines run as root).
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
# Chromium's Swedish interface (date fields read åååå-mm-dd, the file field "Ingen fil har valts"):
# without it the browser tests see English controls.
[ -f /usr/lib/chromium/locales/sv.pak ] || need+=(chromium-l10n)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/swe.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/swe.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-swe)
[ -f /usr/share/hunspell/sv_SE.dic ] || need+=(hunspell-sv)
command -v hunspell >/dev/null || need+=(hunspell)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v soffice >/dev/null || need+=(libreoffice-impress-nogui)  # PPTX previews and the PPTX-to-PDF check
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)  # the DOCX-to-PDF check
[ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)  # the XLSX-to-PDF check
command -v msgfmt >/dev/null || need+=(gettext)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# Carlito, drawn for the workbooks' Calibri with the same widths (LibreOffice recommends it, and
# ships it on Windows and macOS): without it the XLSX check draws DejaVu Sans, a tenth wider.
fc-list 2>/dev/null | grep -qi carlito || need+=(fonts-crosextra-carlito)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
