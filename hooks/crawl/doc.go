// Package crawl holds the crawl test of a group owner and a stranger (the
// plain member's is in hooks/crawl/member; the machinery in
// hooks/internal/crawler): every settings form submitted with both values,
// every page reachable by links from the tabs visited, no 5xx answer, no
// broken link and no console error anywhere. It has no code of its own.
package crawl
