package testapp

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// SSE is a client of PocketBase's realtime API (/api/realtime), subscribed
// as one member: tests use it to prove what a member can and cannot hear.
type SSE struct {
	mu     sync.Mutex
	events []string // "topic: data"
	cancel context.CancelFunc
}

// Subscribe connects to baseURL's realtime API with the member's token and
// subscribes to topics (e.g. "contacts" or "contacts/RECORD_ID").
func Subscribe(t testing.TB, baseURL, token string, topics ...string) *SSE {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &SSE{cancel: cancel}
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/realtime", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("sse connect: %v", err)
	}
	clientID := make(chan string, 1)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				event = strings.TrimSpace(line[len("event:"):])
			case strings.HasPrefix(line, "data:"):
				data := strings.TrimSpace(line[len("data:"):])
				if event == "PB_CONNECT" {
					var v struct{ ClientID string }
					_ = json.Unmarshal([]byte(data), &v)
					clientID <- v.ClientID
					continue
				}
				s.mu.Lock()
				s.events = append(s.events, event+": "+data)
				s.mu.Unlock()
			}
		}
	}()
	var id string
	select {
	case id = <-clientID:
	case <-time.After(5 * time.Second):
		t.Fatal("sse: no PB_CONNECT")
	}
	body, _ := json.Marshal(map[string]any{"clientId": id, "subscriptions": topics})
	sub, _ := http.NewRequest(http.MethodPost, baseURL+"/api/realtime", strings.NewReader(string(body)))
	sub.Header.Set("Content-Type", "application/json")
	sub.Header.Set("Authorization", token)
	r, err := http.DefaultClient.Do(sub)
	if err != nil || r.StatusCode != http.StatusNoContent {
		t.Fatalf("sse subscribe: %v %v", err, r)
	}
	r.Body.Close()
	return s
}

// Events returns what arrived so far.
func (s *SSE) Events() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.events...)
}

// WaitFor waits up to d for an event containing substr.
func (s *SSE) WaitFor(substr string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		for _, e := range s.Events() {
			if strings.Contains(e, substr) {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}
