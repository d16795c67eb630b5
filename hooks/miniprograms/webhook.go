package miniprograms

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"plaza/hooks/oa"
)

// An app's server hears of its orders by a signed POST to its webhook
// URL, in Official Accounts' format (docs/MINIPROGRAMS.md, "Webhook"):
//
//	X-Plaza-Event: order.paid | order.refunded
//	X-Plaza-Timestamp: <unix seconds>
//	X-Plaza-Signature: sha256=<hex HMAC-SHA256(AppSecret, timestamp + "." + body)>
//
// with up to 3 tries (5 s each, 1 s then 2 s apart). The order query of
// the server API is the fallback an app should also use.

// hookClient POSTs webhooks in the background.
type hookClient struct {
	client *http.Client
	local  http.Handler // this server's own handler, for demo apps' paths
	wg     sync.WaitGroup
	mu     sync.Mutex
	Tries  int
	Wait   time.Duration
}

func newHookClient() *hookClient {
	return &hookClient{client: oa.GuardedClient(), Tries: 3, Wait: time.Second}
}

// SetLocalHandler gives the service this server's handler: demo apps'
// webhook URLs are paths on this server ("/mp-demo/…"), handed to it in
// process.
func (s *Service) SetLocalHandler(h http.Handler) {
	s.hook.mu.Lock()
	defer s.hook.mu.Unlock()
	s.hook.local = h
}

// WaitWebhooks waits for the webhooks under way (tests, shutdown).
func (s *Service) WaitWebhooks() { s.hook.wg.Wait() }

// hookEvent is the JSON body POSTed.
type hookEvent struct {
	Event string `json:"event"`
	AppID string `json:"appid"`
	Order Order  `json:"order"`
}

// notifyServer POSTs an order's event to the app's webhook, if it has one.
func (s *Service) notifyServer(a App, event string, o Order) {
	if a.WebhookURL == "" {
		return
	}
	body, err := json.Marshal(hookEvent{Event: event, AppID: a.AppID, Order: o})
	if err != nil {
		return
	}
	h := s.hook
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		wait := h.Wait
		for try := 1; try <= h.Tries; try++ {
			if h.post(a, event, body) {
				return
			}
			time.Sleep(wait)
			wait *= 2
		}
		s.app.Logger().Warn("miniprograms: webhook failed", "app", a.AppID, "event", event)
	}()
}

// post makes one try; true when the server answered 2xx.
func (h *hookClient) post(a App, event string, body []byte) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	target := a.WebhookURL
	local := strings.HasPrefix(target, "/")
	if local {
		target = "http://plaza.internal" + target
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return false
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Plaza-Webhook/1")
	req.Header.Set("X-Plaza-Event", event)
	req.Header.Set("X-Plaza-Timestamp", ts)
	req.Header.Set("X-Plaza-Signature", oa.Sign(a.secret, ts, body))
	if local {
		h.mu.Lock()
		handler := h.local
		h.mu.Unlock()
		if handler == nil {
			return false
		}
		rec := &statusWriter{header: http.Header{}}
		handler.ServeHTTP(rec, req)
		return rec.status/100 == 2 || rec.status == 0
	}
	res, err := h.client.Do(req)
	if err != nil {
		return false
	}
	defer res.Body.Close()
	return res.StatusCode/100 == 2
}

// statusWriter is the smallest ResponseWriter: it keeps the status only.
type statusWriter struct {
	header http.Header
	status int
}

func (w *statusWriter) Header() http.Header { return w.header }
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
