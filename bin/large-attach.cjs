#!/usr/bin/env node
/* global require */
// The CLI is TypeScript run through tsx, so `npx large-attach` works right after `npm ci`
// with no separate build step.
require("tsx/cjs");
require("../src/cli/main.ts");
