#!/usr/bin/env node
// Thin launcher: the CLI is compiled from src/ into dist/ by `npm ci` in a clone (the `prepare` script)
// and before packing (`prepack`), so an installed tarball runs it as shipped.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
