package wallet

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/wallet/split"
)

// Red packet collections.
const (
	PacketsCollection = "red_packets"
	ClaimsCollection  = "red_packet_claims"
)

// Red packet kinds and states.
const (
	PacketLucky     = "lucky"     // random shares (split.Lucky), provably fair
	PacketNormal    = "normal"    // equal shares
	PacketExclusive = "exclusive" // for one named group member

	PacketOpen     = "open"
	PacketFinished = "finished" // every share claimed
	PacketExpired  = "expired"  // PacketTTL passed: the rest went back to the sender
)

// PacketTTL is how long a red packet can be opened.
const PacketTTL = 24 * time.Hour

// CardPacket is the chat card of a red packet.
const CardPacket = "redpacket"

// Packet is one red packet. Seed is empty until the packet is no longer
// open; Commitment is published from the start (split.Commit).
type Packet struct {
	ID           string    `json:"id" db:"id"`
	Sender       string    `json:"sender" db:"sender"`
	Conversation string    `json:"conversation" db:"conversation"`
	Message      string    `json:"message" db:"message"`
	Kind         string    `json:"kind" db:"kind"`
	Total        int64     `json:"total" db:"total"`
	Count        int       `json:"count" db:"count"`
	ClaimedCount int       `json:"claimed_count" db:"claimed_count"`
	ClaimedTotal int64     `json:"claimed_total" db:"claimed_total"`
	Refunded     int64     `json:"refunded" db:"refunded"`
	Greeting     string    `json:"greeting" db:"greeting"`
	Target       string    `json:"target,omitempty" db:"target"`
	Seed         string    `json:"seed,omitempty" db:"seed"`
	Commitment   string    `json:"commitment,omitempty" db:"commitment"`
	State        string    `json:"state" db:"state"`
	Escrow       string    `json:"-" db:"escrow"`
	ExpiresRaw   string    `json:"-" db:"expires"`
	CreatedRaw   string    `json:"-" db:"created"`
	Expires      time.Time `json:"expires" db:"-"`
}

// Claim is one member's share of a packet.
type Claim struct {
	Member   string    `json:"member" db:"member"`
	Position int       `json:"position" db:"position"`
	Amount   int64     `json:"amount" db:"amount"`
	AtRaw    string    `json:"-" db:"created"`
	At       time.Time `json:"at" db:"-"`
}

const packetColumns = "id, sender, conversation, message, kind, total, count, claimed_count, claimed_total, refunded, greeting, target, seed, commitment, state, escrow, expires, created"

func loadPacket(app core.App, id string) (Packet, error) {
	var p Packet
	err := app.DB().NewQuery("SELECT " + packetColumns + " FROM red_packets WHERE id = {:id}").Bind(dbx.Params{"id": id}).One(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound()
	}
	if err != nil {
		return p, fmt.Errorf("load red packet: %w", err)
	}
	p.Expires, _ = time.Parse(types.DefaultDateLayout, p.ExpiresRaw)
	return p, nil
}

// public hides the seed while the packet is open.
func (p Packet) public() Packet {
	if p.State == PacketOpen {
		p.Seed = ""
	}
	return p
}

// Shares are the packet's shares in claim order, from its seed.
func (p Packet) shares() ([]int64, error) {
	switch p.Kind {
	case PacketLucky:
		seed, err := hex.DecodeString(p.Seed)
		if err != nil {
			return nil, fmt.Errorf("red packet seed: %w", err)
		}
		return split.Lucky(seed, p.Total, p.Count)
	case PacketNormal:
		return split.Equal(p.Total, p.Count)
	default:
		return []int64{p.Total}, nil
	}
}

// PacketInput is a red packet a member sends. For a normal packet Amount is
// each share; otherwise it is the total.
type PacketInput struct {
	Conversation string `json:"conversation"`
	Kind         string `json:"kind"`
	Amount       int64  `json:"amount"`
	Count        int    `json:"count"`
	Greeting     string `json:"greeting"`
	Target       string `json:"target"` // exclusive: the member it is for
}

// check normalises a red packet's input and refuses a malformed one; it
// returns the packet's total.
func (in PacketInput) check(s settings.Settings) (PacketInput, int64, error) {
	in.Greeting = strings.TrimSpace(in.Greeting)
	bad := &problem.Problem{Status: http.StatusBadRequest}
	total := in.Amount
	switch in.Kind {
	case PacketLucky:
	case PacketNormal:
		total = in.Amount * int64(in.Count)
	case PacketExclusive:
		in.Count = 1
	default:
		bad.Add("kind", "errors.bad_request", nil)
	}
	switch {
	case in.Count < 1 || in.Count > split.MaxCount:
		bad.Add("count", "wallet.packet_count", map[string]any{"max": split.MaxCount})
	case in.Amount <= 0 || in.Amount > MaxAmount || total < int64(in.Count):
		bad.Add("amount", "wallet.packet_min_share", nil)
	case total > s.PacketMax:
		bad.Add("amount", "wallet.packet_max", map[string]any{"max": s.CurrencySymbol + FormatAmount(s.PacketMax)})
	}
	if utf8.RuneCountInString(in.Greeting) > NoteMax {
		bad.Add("greeting", "profile.too_long", map[string]any{"max": NoteMax})
	}
	return in, total, bad.OrNil()
}

// SendPacket debits the sender into the packet's escrow and puts the packet
// card in the chat, in one transaction under the idempotency key. It is an
// outgoing payment: it needs the sender's pay PIN (WithPIN) and checks it
// itself after the key is found new; without it, it is refused as a wrong
// PIN.
func (w *Wallet) SendPacket(memberID, key string, in PacketInput, opts ...Option) (Packet, error) {
	in, total, err := in.check(settings.Get(w.app))
	if err != nil {
		return Packet{}, err
	}
	now := w.Now()
	var sent chat.SendResult
	p, replayed, err := once(w, memberID, key, "packet",
		fingerprint("packet", in.Conversation, in.Kind, in.Amount, in.Count, in.Greeting, in.Target), w.gate(memberID, opts),
		func(txApp core.App) (Packet, error) {
			conv, err := payChat(txApp, memberID, in.Conversation)
			if err != nil {
				return Packet{}, err
			}
			switch {
			case conv.Kind == chat.KindDirect && (in.Count != 1 || in.Kind == PacketExclusive):
				return Packet{}, problem.Invalid("count", "wallet.packet_direct", nil)
			case conv.Kind == chat.KindGroup && in.Count > conv.Members:
				return Packet{}, problem.Invalid("count", "wallet.packet_count_group", map[string]any{"max": conv.Members})
			case in.Kind == PacketExclusive:
				there, err := chat.IsMember(txApp, in.Target, in.Conversation)
				if err != nil {
					return Packet{}, err
				}
				if !there || in.Target == memberID {
					return Packet{}, problem.Invalid("target", "wallet.packet_target", nil)
				}
			default:
				in.Target = ""
			}
			p := Packet{ID: core.GenerateDefaultRandomId(), Sender: memberID, Conversation: in.Conversation, Kind: in.Kind,
				Total: total, Count: in.Count, Greeting: in.Greeting, Target: in.Target, State: PacketOpen, Expires: now.Add(PacketTTL)}
			if in.Kind == PacketLucky {
				seed, err := split.NewSeed()
				if err != nil {
					return p, err
				}
				p.Seed = hex.EncodeToString(seed)
				p.Commitment = split.Commit(seed, total, in.Count)
			}
			from, err := memberAccount(txApp, memberID, now)
			if err != nil {
				return p, err
			}
			if p.Escrow, err = openEscrow(txApp, "packet:"+p.ID, now); err != nil {
				return p, err
			}
			if _, err := post(txApp, Entry{Kind: EntryPacket, Ref: p.ID, Payer: memberID, Memo: in.Greeting,
				Postings: []Posting{{from, -total}, {p.Escrow, total}}}, now); err != nil {
				return p, err
			}
			card := &chat.Card{Type: CardPacket, Ref: p.ID, Title: p.Greeting, Link: "/wallet/packets/" + p.ID}
			sent, err = w.chat.SendCardInTx(txApp, memberID, in.Conversation, "packet-"+p.ID, card)
			if err != nil {
				return p, err
			}
			p.Message = sent.Message.ID
			if _, err := txApp.DB().NewQuery(`INSERT INTO red_packets (id, sender, conversation, message, kind, total, count, claimed_count, claimed_total, refunded, greeting, target, seed, commitment, state, escrow, expires, finished, created)
				VALUES ({:id}, {:s}, {:c}, {:msg}, {:kind}, {:total}, {:count}, 0, 0, 0, {:g}, {:t}, {:seed}, {:com}, 'open', {:esc}, {:exp}, '', {:at})`).
				Bind(dbx.Params{"id": p.ID, "s": memberID, "c": in.Conversation, "msg": p.Message, "kind": in.Kind, "total": total, "count": in.Count,
					"g": in.Greeting, "t": in.Target, "seed": p.Seed, "com": p.Commitment, "esc": p.Escrow,
					"exp": p.Expires.Format(types.DefaultDateLayout), "at": now.Format(types.DefaultDateLayout)}).Execute(); err != nil {
				return p, fmt.Errorf("insert red packet: %w", err)
			}
			return p.public(), nil
		})
	if err != nil {
		return Packet{}, err
	}
	if !replayed {
		w.chat.Announce(in.Conversation, sent)
	}
	return p, nil
}

// ClaimPacket opens a red packet for the member: one claim per member,
// only while they are in its chat, the packet is open and shares are left.
// Opening it again returns the same claim. It pays the member, so it takes
// no PIN; neither does the refund of an expired packet (Sweep).
func (w *Wallet) ClaimPacket(memberID, id string) (Claim, error) {
	now := w.Now()
	var c Claim
	var refused error
	var notice chat.SendResult // "Bob opened your red packet"
	var conv string
	err := w.app.RunInTransaction(func(txApp core.App) error {
		p, err := loadPacket(txApp, id)
		conv = p.Conversation
		if err != nil {
			return err
		}
		in, err := chat.IsMember(txApp, memberID, p.Conversation)
		if err != nil {
			return err
		}
		if !in {
			return notFound()
		}
		err = txApp.DB().NewQuery(`SELECT member, position, amount, created FROM red_packet_claims WHERE packet = {:p} AND member = {:m}`).
			Bind(dbx.Params{"p": id, "m": memberID}).One(&c)
		if err == nil {
			c.At, _ = time.Parse(types.DefaultDateLayout, c.AtRaw)
			return nil // opened already
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("load claim: %w", err)
		}
		kind, err := chat.KindOf(txApp, p.Conversation) // "" when the chat is gone
		if err != nil {
			return err
		}
		switch {
		case kind == chat.KindDirect && memberID == p.Sender:
			return problem.New(http.StatusForbidden, "wallet.packet_own")
		case p.Kind == PacketExclusive && memberID != p.Target:
			return problem.New(http.StatusForbidden, "wallet.packet_not_yours")
		}
		if p.State == PacketOpen && !now.Before(p.Expires) {
			if _, err := w.expirePacket(txApp, p, now); err != nil {
				return err
			}
			p.State = PacketExpired
		}
		switch p.State {
		case PacketExpired:
			refused = problem.New(http.StatusConflict, "wallet.packet_expired")
			return nil
		case PacketFinished:
			refused = problem.New(http.StatusConflict, "wallet.packet_empty")
			return nil
		}
		if c, refused, err = takeShare(txApp, p, memberID, now); err != nil || refused != nil {
			return err
		}
		if memberID != p.Sender {
			notice, err = w.chat.NoticeInTx(txApp, p.Conversation, "packet_opened:"+memberID+":"+p.Sender)
		}
		return err
	})
	if err != nil {
		return Claim{}, err
	}
	if notice.New {
		w.chat.Announce(conv, notice)
	}
	if refused == nil || notice.New {
		w.chat.CardChanged(conv, CardPacket, id) // Opened, All claimed or Expired, live
	}
	return c, refused
}

// takeShare gives the member the next share of an open packet and pays
// it from the escrow, in the caller's transaction: a conditional update
// takes the share (none left, or its time up: wallet.packet_empty, as a
// refusal), then the claim row, the journal entry and the packet's count.
func takeShare(txApp core.App, p Packet, memberID string, now time.Time) (c Claim, refused, err error) {
	var n int
	err = txApp.DB().NewQuery(`UPDATE red_packets SET claimed_count = claimed_count + 1
		WHERE id = {:id} AND state = 'open' AND claimed_count < count AND expires > {:now} RETURNING claimed_count`).
		Bind(dbx.Params{"id": p.ID, "now": now.Format(types.DefaultDateLayout)}).Row(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return Claim{}, problem.New(http.StatusConflict, "wallet.packet_empty"), nil
	}
	if err != nil {
		return Claim{}, nil, fmt.Errorf("take a share: %w", err)
	}
	shares, err := p.shares()
	if err != nil {
		return Claim{}, nil, err
	}
	c = Claim{Member: memberID, Position: n - 1, Amount: shares[n-1], At: now}
	at := now.Format(types.DefaultDateLayout)
	if _, err := txApp.DB().NewQuery(`INSERT INTO red_packet_claims (id, packet, member, position, amount, created)
		VALUES ({:id}, {:p}, {:m}, {:pos}, {:amt}, {:at})`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "p": p.ID, "m": memberID, "pos": c.Position, "amt": c.Amount, "at": at}).Execute(); err != nil {
		return Claim{}, nil, fmt.Errorf("insert claim: %w", err)
	}
	dest, err := memberAccount(txApp, memberID, now)
	if err != nil {
		return Claim{}, nil, err
	}
	if _, err := post(txApp, Entry{Kind: EntryPacketClaim, Ref: p.ID, Payer: p.Sender, Payee: memberID,
		Postings: []Posting{{p.Escrow, -c.Amount}, {dest, c.Amount}}}, now); err != nil {
		return Claim{}, nil, err
	}
	_, err = txApp.DB().NewQuery(`UPDATE red_packets SET claimed_total = claimed_total + {:amt},
		state = CASE WHEN claimed_count = count THEN 'finished' ELSE state END,
		finished = CASE WHEN claimed_count = count THEN {:at} ELSE finished END WHERE id = {:id}`).
		Bind(dbx.Params{"amt": c.Amount, "at": at, "id": p.ID}).Execute()
	if err != nil {
		return Claim{}, nil, fmt.Errorf("count claim: %w", err)
	}
	return c, nil, nil
}

// expirePacket ends an open packet whose time is up and refunds what is
// left to the sender, exactly once (a conditional update on its state).
func (w *Wallet) expirePacket(txApp core.App, p Packet, now time.Time) (bool, error) {
	at := now.Format(types.DefaultDateLayout)
	var claimed int64
	err := txApp.DB().NewQuery(`UPDATE red_packets SET state = 'expired', finished = {:at}, refunded = total - claimed_total
		WHERE id = {:id} AND state = 'open' AND expires <= {:at} RETURNING claimed_total`).
		Bind(dbx.Params{"id": p.ID, "at": at}).Row(&claimed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("expire red packet: %w", err)
	}
	if rest := p.Total - claimed; rest > 0 {
		dest, err := memberAccount(txApp, p.Sender, now)
		if err != nil {
			return false, err
		}
		if _, err := post(txApp, Entry{Kind: EntryPacketRefund, Ref: p.ID, Payer: p.Sender, Payee: p.Sender,
			Postings: []Posting{{p.Escrow, -rest}, {dest, rest}}}, now); err != nil {
			return false, err
		}
	}
	return true, nil
}
