// Package crawl holds the crawl test: a browser signs in to the demo
// community as a group owner, a plain member and a stranger, submits every
// settings form on every chat and contact with both values, then visits
// every page reachable by links from the tabs, asserting no 5xx answer, no
// broken link and no console error anywhere. It has no code of its own.
package crawl
