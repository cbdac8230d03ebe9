#!/usr/bin/env bash
# A GEMV (timing mode) on a WSE-3-size fabric: the wse2-like preset at 762 x 1172 cores, about
# 6.25 million components, at -Xmx16g; run it alone on a 24 GiB machine. Prints wall time,
# events/s, start-up and live heap per component as JSON (bench/kernel.sh --wse3).
exec "$(dirname "${BASH_SOURCE[0]}")/kernel.sh" --wse3 "$@"
