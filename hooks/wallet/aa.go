package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
)

// CardAA is the chat card of an AA collection.
const CardAA = "aa"

// AAInput is an AA collection an organiser starts in a group: each chosen
// member is asked for Each cents.
type AAInput struct {
	Conversation string
	Title        string
	Each         int64
	Members      []string
}

// AAShare is one member's part of an AA collection.
type AAShare struct {
	ID      string `json:"id" db:"id"`
	Member  string `json:"member" db:"member"`
	Amount  int64  `json:"amount" db:"amount"`
	Entry   string `json:"entry" db:"entry"`
	PaidRaw string `json:"-" db:"paid"`
}

// Paid reports whether the share has been paid.
func (s AAShare) Paid() bool { return s.Entry != "" }

// AA is an AA collection with its shares.
type AA struct {
	ID           string    `json:"id" db:"id"`
	Conversation string    `json:"conversation" db:"conversation"`
	Organiser    string    `json:"organiser" db:"organiser"`
	Title        string    `json:"title" db:"title"`
	Message      string    `json:"message" db:"message"`
	Shares       []AAShare `json:"shares" db:"-"`
}

// AAMax is the most members one AA collection can ask.
const AAMax = 100

// StartAA asks each chosen member of the group for a share and posts the
// AA card in the group, in one transaction under the idempotency key. It
// moves no money (each share is paid by PayAA), so it takes no PIN.
func (w *Wallet) StartAA(organiserID, key string, in AAInput) (AA, error) {
	in.Title = strings.TrimSpace(in.Title)
	bad := &problem.Problem{Status: http.StatusBadRequest}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > NoteMax {
		bad.Add("title", "wallet.aa_title", map[string]any{"max": NoteMax})
	}
	if in.Each <= 0 || in.Each > MaxAmount {
		bad.Add("amount", "wallet.amount_bad", nil)
	}
	slices.Sort(in.Members)
	in.Members = slices.Compact(in.Members)
	in.Members = slices.DeleteFunc(in.Members, func(m string) bool { return m == organiserID || m == "" })
	if len(in.Members) == 0 || len(in.Members) > AAMax {
		bad.Add("members", "wallet.aa_members", map[string]any{"max": AAMax})
	}
	if err := bad.OrNil(); err != nil {
		return AA{}, err
	}
	var sent chat.SendResult
	a, replayed, err := once(w, organiserID, key, "aa", fingerprint("aa", in.Conversation, in.Title, in.Each, strings.Join(in.Members, ",")), nil,
		func(txApp core.App) (AA, error) {
			if err := inGroup(txApp, organiserID, in.Conversation); err != nil {
				return AA{}, err
			}
			for _, m := range in.Members {
				ok, err := chat.IsMember(txApp, m, in.Conversation)
				if err != nil {
					return AA{}, err
				}
				if !ok {
					return AA{}, problem.Invalid("members", "wallet.aa_members", map[string]any{"max": AAMax})
				}
			}
			a := AA{ID: core.GenerateDefaultRandomId(), Conversation: in.Conversation, Organiser: organiserID, Title: in.Title}
			at := w.Now().Format(types.DefaultDateLayout)
			if _, err := txApp.DB().NewQuery(`INSERT INTO aa_requests (id, conversation, organiser, title, message, created)
				VALUES ({:id}, {:c}, {:o}, {:t}, '', {:at})`).
				Bind(dbx.Params{"id": a.ID, "c": in.Conversation, "o": organiserID, "t": in.Title, "at": at}).Execute(); err != nil {
				return a, fmt.Errorf("insert AA: %w", err)
			}
			for _, m := range in.Members {
				sh := AAShare{ID: core.GenerateDefaultRandomId(), Member: m, Amount: in.Each}
				if _, err := txApp.DB().NewQuery(`INSERT INTO aa_shares (id, request, member, amount, entry, paid) VALUES ({:id}, {:r}, {:m}, {:amt}, '', '')`).
					Bind(dbx.Params{"id": sh.ID, "r": a.ID, "m": m, "amt": in.Each}).Execute(); err != nil {
					return a, fmt.Errorf("insert AA share: %w", err)
				}
				a.Shares = append(a.Shares, sh)
			}
			var err error
			sent, err = w.chat.SendCardInTx(txApp, organiserID, in.Conversation, "aa-"+a.ID, aaCard(txApp, a))
			if err != nil {
				return a, err
			}
			a.Message = sent.Message.ID
			_, err = txApp.DB().NewQuery(`UPDATE aa_requests SET message = {:msg} WHERE id = {:id}`).Bind(dbx.Params{"msg": a.Message, "id": a.ID}).Execute()
			return a, err
		})
	if err != nil {
		return AA{}, err
	}
	if !replayed {
		w.chat.Announce(in.Conversation, sent)
	}
	return a, nil
}

func loadAA(app core.App, id string) (AA, error) {
	var a AA
	err := app.DB().NewQuery(`SELECT id, conversation, organiser, title, message FROM aa_requests WHERE id = {:id}`).Bind(dbx.Params{"id": id}).One(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound()
	}
	if err != nil {
		return a, fmt.Errorf("load AA: %w", err)
	}
	if err := app.DB().NewQuery(`SELECT id, member, amount, entry, paid FROM aa_shares WHERE request = {:id} ORDER BY rowid`).
		Bind(dbx.Params{"id": id}).All(&a.Shares); err != nil {
		return a, fmt.Errorf("load AA shares: %w", err)
	}
	return a, nil
}

// AAFor returns an AA collection to a member of its group.
func (w *Wallet) AAFor(memberID, id string) (AA, error) {
	a, err := loadAA(w.app, id)
	if err != nil {
		return a, err
	}
	in, err := chat.IsMember(w.app, memberID, a.Conversation)
	if err != nil {
		return a, err
	}
	if !in && a.Organiser != memberID {
		return AA{}, notFound()
	}
	return a, nil
}

// PayAA pays the member's share of an AA collection to its organiser, once
// (a conditional update on the share). It is an outgoing payment: it needs
// the member's pay PIN (WithPIN) and checks it itself after the idempotency
// key is found new; without it, it is refused as a wrong PIN.
func (w *Wallet) PayAA(memberID, key, id string, opts ...Option) (AAShare, error) {
	now := w.Now()
	var notes []notice
	sh, replayed, err := once(w, memberID, key, "aa_pay", fingerprint("aa_pay", id), w.gate(memberID, opts), func(txApp core.App) (AAShare, error) {
		a, err := loadAA(txApp, id)
		if err != nil {
			return AAShare{}, err
		}
		i := slices.IndexFunc(a.Shares, func(s AAShare) bool { return s.Member == memberID })
		if i < 0 {
			return AAShare{}, notFound()
		}
		sh := a.Shares[i]
		if sh.Paid() {
			return AAShare{}, problem.New(http.StatusConflict, "wallet.aa_paid")
		}
		from, err := memberAccount(txApp, memberID, now)
		if err != nil {
			return sh, err
		}
		to, err := memberAccount(txApp, a.Organiser, now)
		if err != nil {
			return sh, err
		}
		entry, err := post(txApp, Entry{Kind: EntryAA, Ref: sh.ID, Payer: memberID, Payee: a.Organiser, Memo: a.Title,
			Postings: []Posting{{from, -sh.Amount}, {to, sh.Amount}}}, now)
		if err != nil {
			return sh, err
		}
		res, err := txApp.DB().NewQuery(`UPDATE aa_shares SET entry = {:e}, paid = {:at} WHERE id = {:id} AND entry = ''`).
			Bind(dbx.Params{"e": entry, "at": now.Format(types.DefaultDateLayout), "id": sh.ID}).Execute()
		if err != nil {
			return sh, fmt.Errorf("mark AA share paid: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sh, problem.New(http.StatusConflict, "wallet.aa_paid")
		}
		sh.Entry, sh.PaidRaw = entry, now.Format(types.DefaultDateLayout)
		notes, err = w.notifyBoth(txApp, Receipt{Entry: entry, Payer: memberID, Payee: a.Organiser, Amount: sh.Amount}, CardPaid, CardReceived)
		return sh, err
	})
	if err != nil {
		return AAShare{}, err
	}
	if !replayed {
		w.announce(notes)
	}
	return sh, nil
}

// aaCard is the AA collection's card, made once when it starts (a has at
// least one share: StartAA refuses an empty list first).
func aaCard(txApp core.App, a AA) *chat.Card {
	return &chat.Card{Type: CardAA, Ref: a.ID, Title: a.Title, Sub: symbol(txApp) + FormatAmount(a.Shares[0].Amount) + " × " + fmt.Sprint(len(a.Shares)),
		Link: "/wallet/aa/" + a.ID}
}
