package crawler

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// crawlTabs is how many tabs of each member crawl the links at once.
const crawlTabs = 3

// queue is the breadth-first crawl's shared list of pages to visit.
type queue struct {
	mu       sync.Mutex
	waiting  []string
	seen     map[string]bool
	inflight int
	pages    int
	fetched  int
	shapes   map[string]int // pages per shape, see shapeSeen
	forms    atomic.Bool    // the first tab is submitting the settings forms
	recheck  [][2]string    // links (page, target) that answered 404 meanwhile
}

func newQueue(start ...string) *queue {
	q := &queue{waiting: start, seen: map[string]bool{}}
	for _, s := range start {
		q.seen[s] = true
	}
	return q
}

// next returns the next page to visit, waiting while other tabs may still
// add some; false when the crawl is over.
func (q *queue) next() (string, bool) {
	for {
		q.mu.Lock()
		if len(q.waiting) > 0 && q.pages < maxPages {
			path := q.waiting[0]
			q.waiting = q.waiting[1:]
			q.inflight++
			q.pages++
			q.mu.Unlock()
			return path, true
		}
		if q.inflight == 0 || q.pages >= maxPages {
			q.mu.Unlock()
			return "", false
		}
		q.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
}

// browserPerShape is how many pages of one shape (the path with its ids
// taken out) each member renders in the browser; the rest are fetched.
const browserPerShape = 1

// idSegment matches a path segment that names a record (PocketBase ids
// are 15 lower-case letters and digits) or a number.
var idSegment = regexp.MustCompile(`^([a-z0-9]{15}|[0-9]+)$`)

// pageWords are the words under /oa/ that are pages, not handles.
var pageWords = map[string]bool{"apply": true, "mine": true, "following": true, "subscriptions": true, "media": true, "by-id": true}

// shapeSeen counts a page of path's shape and returns how many have been
// counted so far, this one included. Record ids, numbers, and the handle
// of a channel (/c/<handle>) or an Official Account (/oa/<handle>) are
// the variable parts of a shape.
func (q *queue) shapeSeen(path string) int {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if idSegment.MatchString(p) {
			parts[i] = "{id}"
		}
	}
	if len(parts) > 2 && (parts[1] == "c" || parts[1] == "oa" && !pageWords[strings.SplitN(parts[2], "?", 2)[0]]) {
		parts[2] = "{handle}"
	}
	shape := strings.Join(parts, "/")
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shapes == nil {
		q.shapes = map[string]int{}
	}
	q.shapes[shape]++
	return q.shapes[shape]
}

// add marks a link seen and reports whether it is new.
func (q *queue) add(target string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seen[target] {
		return false
	}
	q.seen[target] = true
	return true
}

func (q *queue) push(path string) {
	q.mu.Lock()
	q.waiting = append(q.waiting, path)
	q.mu.Unlock()
}

func (q *queue) done() {
	q.mu.Lock()
	q.inflight--
	q.mu.Unlock()
}

// maxPages bounds the crawl of one member.
const maxPages = 600
