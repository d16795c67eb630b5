package mpdemo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms/mpclient"
)

// Drink is one line of the Corner Café's menu; Price is in cents and is
// the only price the café's server trusts.
type Drink struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Local string `json:"local"` // its Chinese name
	Emoji string `json:"emoji"`
	Note  string `json:"note"`
	Price int64  `json:"price"`
}

// Menu is the Corner Café's menu (the same prices as its Official
// Account's "menu" reply).
var Menu = []Drink{
	{ID: "flat_white", Name: "Flat white", Local: "馥芮白", Emoji: "☕", Note: "Double ristretto, silky milk", Price: 1800},
	{ID: "osmanthus_latte", Name: "Osmanthus latte", Local: "桂花拿铁", Emoji: "🌼", Note: "Back for the autumn", Price: 2200},
	{ID: "matcha_latte", Name: "Matcha latte", Local: "抹茶拿铁", Emoji: "🍵", Note: "Uji matcha, oat milk on request", Price: 2000},
	{ID: "iced_americano", Name: "Iced americano", Local: "冰美式", Emoji: "🧊", Note: "Bright and cold", Price: 1500},
}

// Limits of one café order.
const (
	LinesMax   = 10
	QtyMax     = 9
	SessionTTL = 2 * time.Hour
)

// Line is a drink and how many of it.
type Line struct {
	ID  string `json:"id"`
	Qty int    `json:"qty"`
}

// CafeOrder is an order as the café's server keeps and answers it.
type CafeOrder struct {
	OrderNo     string `json:"order_no"`
	Amount      int64  `json:"amount"`
	Description string `json:"description"`
	Status      string `json:"status"`
	PaidAt      string `json:"paid_at,omitempty"`
}

func badSession() *Error {
	return refuse(http.StatusUnauthorized, "demo.session_bad", "Your session with the café ended: open the app again.")
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// OpenSession exchanges a plaza.login() code for the member's openid and
// hands out the café's own session token (SessionTTL; only its hash is
// kept).
func (s *Servers) OpenSession(ctx context.Context, code string) (token string, expires time.Time, err error) {
	c, _, err := s.client(Coffee)
	if err != nil {
		return "", time.Time{}, err
	}
	sess, err := s.login(ctx, c, code)
	if err != nil {
		return "", time.Time{}, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", time.Time{}, fmt.Errorf("session token: %w", err)
	}
	token, expires = base64.RawURLEncoding.EncodeToString(b), s.now().Add(SessionTTL)
	_, err = s.app.DB().NewQuery(`INSERT INTO mpdemo_sessions (id, token_hash, openid, expires) VALUES ({:id}, {:h}, {:o}, {:e})`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "h": hashToken(token), "o": sess.OpenID, "e": stamp(expires)}).Execute()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("save session: %w", err)
	}
	_, _ = s.app.DB().NewQuery(`DELETE FROM mpdemo_sessions WHERE expires < {:now}`).Bind(dbx.Params{"now": stamp(s.now())}).Execute()
	return token, expires, nil
}

// openidOf is the openid a live session token stands for.
func (s *Servers) openidOf(token string) (string, error) {
	var openid string
	err := s.app.DB().NewQuery(`SELECT openid FROM mpdemo_sessions WHERE token_hash = {:h} AND expires > {:now}`).
		Bind(dbx.Params{"h": hashToken(token), "now": stamp(s.now())}).Row(&openid)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return "", badSession()
	}
	if err != nil {
		return "", fmt.Errorf("read session: %w", err)
	}
	return openid, nil
}

// PlaceOrder prices the lines from the café's own menu (never the page's
// figures), creates the order at Plaza for the session's member and keeps
// it; the bundle then asks the host to pay it.
func (s *Servers) PlaceOrder(ctx context.Context, token string, lines []Line) (CafeOrder, error) {
	openid, err := s.openidOf(token)
	if err != nil {
		return CafeOrder{}, err
	}
	amount, desc, items, err := price(lines)
	if err != nil {
		return CafeOrder{}, err
	}
	c, _, err := s.client(Coffee)
	if err != nil {
		return CafeOrder{}, err
	}
	no := "cafe-" + s.now().Format("060102") + "-" + randomHex(5)
	o, err := c.CreateOrder(ctx, mpclient.Order{OrderNo: no, OpenID: openid, Amount: amount, Description: desc})
	if err != nil {
		return CafeOrder{}, fmt.Errorf("create order at Plaza: %w", err)
	}
	col, err := s.app.FindCachedCollectionByNameOrId("mpdemo_orders")
	if err != nil {
		return CafeOrder{}, fmt.Errorf("keep order: %w", err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"order_no": no, "openid": openid, "amount": amount, "description": desc, "items": items, "status": mpclient.StatusCreated})
	if err := s.app.Save(r); err != nil {
		return CafeOrder{}, fmt.Errorf("keep order: %w", err)
	}
	return CafeOrder{OrderNo: o.OrderNo, Amount: o.Amount, Description: o.Description, Status: o.Status}, nil
}

// DescriptionMax is the longest order description the café writes: what
// a wallet bill's memo holds (wallet.NoteMax), so the member's bill names
// the drinks.
const DescriptionMax = 40

// price totals the lines from Menu and writes the order's description
// ("3× Flat white, 1× Osmanthus latte"; past DescriptionMax characters,
// the first line and how many more drinks).
func price(lines []Line) (int64, string, []Line, error) {
	bad := refuse(http.StatusBadRequest, "demo.bad_order", "Choose at least one drink (at most 9 of each).")
	if len(lines) == 0 || len(lines) > LinesMax {
		return 0, "", nil, bad
	}
	qty := map[string]int{}
	var order []string
	for _, l := range lines {
		if l.Qty < 1 || l.Qty > QtyMax || drink(l.ID) == nil {
			return 0, "", nil, bad
		}
		if qty[l.ID] == 0 {
			order = append(order, l.ID)
		}
		if qty[l.ID] += l.Qty; qty[l.ID] > QtyMax {
			return 0, "", nil, bad
		}
	}
	var amount int64
	parts := make([]string, 0, len(order))
	items := make([]Line, 0, len(order))
	rest := 0
	for i, id := range order {
		d := drink(id)
		amount += d.Price * int64(qty[id])
		parts = append(parts, fmt.Sprintf("%d× %s", qty[id], d.Name))
		items = append(items, Line{ID: id, Qty: qty[id]})
		if i > 0 {
			rest += qty[id]
		}
	}
	desc := strings.Join(parts, ", ")
	if utf8.RuneCountInString(desc) > DescriptionMax {
		desc = fmt.Sprintf("%s + %d more", parts[0], rest)
	}
	return amount, desc, items, nil
}

func drink(id string) *Drink {
	for i := range Menu {
		if Menu[i].ID == id {
			return &Menu[i]
		}
	}
	return nil
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
