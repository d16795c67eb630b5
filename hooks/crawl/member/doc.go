// Package member holds the crawl test of a plain member of the demo
// community (hooks/internal/crawler). It has no code of its own.
package member
