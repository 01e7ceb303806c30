#!/usr/bin/env bash
# Starts the example HTTP demo service on 127.0.0.1:${PORT:-7010}.
exec node "$(dirname "${BASH_SOURCE[0]}")/server.mjs"
