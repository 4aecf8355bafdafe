#!/bin/sh
# Install the Debian packages named as arguments when they are missing.
# As root it installs them; otherwise it says what to run and carries on,
# so a developer without root still gets as far as the machine allows.
missing=""
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Not a Debian system: install the equivalents of:$missing" >&2
    exit 0
fi
if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "Installing Debian packages:$missing"
    sudo -n apt-get update -qq && sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "Missing Debian packages; please run: sudo apt-get install$missing" >&2
fi
