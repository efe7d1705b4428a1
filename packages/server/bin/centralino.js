#!/usr/bin/env node
// The `centralino` command. Sources are TypeScript run directly by Node >= 22.18
// (type stripping); the repository pins Node 24 as a devDependency.
import '../src/cli/main.ts';
