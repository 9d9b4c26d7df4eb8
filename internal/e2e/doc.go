// Package e2e holds the browser tests of the ISA Partner Database: they
// start the real server in-process, drive Debian's Chromium through the
// DevTools protocol and walk the journey of issue 4 (register, verify,
// post, find across languages, contact, accept), take screenshots of the
// main pages at desktop and phone width, run axe-core in the pages and
// check that no request leaves for another host and that pages stay light.
//
// The package has no code outside its tests; the tests need Chromium
// (ISA_CHROMIUM or chromium on PATH) and axe-core (ISA_AXE, or the npm
// package installed by scripts/e2e-tools) and fail, never skip, without
// them.
package e2e
