package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// Frame is one WebSocket message, either way (docs/API.md, "WebSocket").
type Frame struct {
	T         string              `json:"t"`                   // frame type
	ID        string              `json:"id,omitempty"`        // client message id (send, ack, error)
	C         string              `json:"c,omitempty"`         // conversation id
	Kind      string              `json:"kind,omitempty"`      // send: "text" (default) or "card"
	Text      string              `json:"text,omitempty"`      // send
	Card      *CardRequest        `json:"card,omitempty"`      // send: the card asked for
	Who       string              `json:"who,omitempty"`       // pat: the member patted
	Reply     string              `json:"reply,omitempty"`     // send: quoted message id
	Mention   []string            `json:"mentions,omitempty"`  // send: members to @-mention
	All       bool                `json:"all,omitempty"`       // send: @All
	After     *int64              `json:"after,omitempty"`     // sync: last sequence the client has
	Convs     map[string]int64    `json:"convs,omitempty"`     // sync: conversation → last sequence the client has, for many at once
	Seq       int64               `json:"seq,omitempty"`       // ack, read
	MID       string              `json:"mid,omitempty"`       // ack: stored message id; recall, recalled: the message
	M         *Message            `json:"m,omitempty"`         // msg
	Items     []Message           `json:"items,omitempty"`     // msgs
	More      bool                `json:"more,omitempty"`      // msgs: more to fetch after the last item
	Emoji     string              `json:"emoji,omitempty"`     // react
	Reactions map[string][]string `json:"reactions,omitempty"` // reactions: emoji → members
	From      string              `json:"from,omitempty"`      // typing, presence: the member
	Online    bool                `json:"online,omitempty"`    // presence
	Seen      string              `json:"seen,omitempty"`      // presence: last seen (RFC 3339) when offline
	Code      string              `json:"code,omitempty"`      // error
	Message   string              `json:"message,omitempty"`   // error, in the member's language
	Count     int                 `json:"count,omitempty"`     // contact: the member's friend requests waiting
	Ref       string              `json:"ref,omitempty"`       // card: the object the card is about
	State     string              `json:"state,omitempty"`     // card: its state as you see it ("" while it waits)
}

// Frame types a client may send.
const (
	FrameSend   = "send"
	FrameSync   = "sync"
	FrameRead   = "read"
	FramePing   = "ping"
	FrameRecall = "recall"
	FrameTyping = "typing"
	FrameReact  = "react"
	FramePat    = "pat"
	FrameHide   = "hide"
	FrameFav    = "fav"
)

// MaxFrame is the largest frame a client may send (the socket's read limit).
const MaxFrame = 64 << 10

// SyncConvsMax is how many conversations one sync frame may name.
const SyncConvsMax = 100

// Errors of DecodeFrame.
var (
	ErrNotUTF8    = errors.New("frame is not valid UTF-8")
	ErrBadFrame   = errors.New("frame is not a valid Plaza frame")
	ErrFrameLarge = errors.New("frame too large")
)

// DecodeFrame parses and checks a client frame: valid UTF-8, one JSON
// object of known fields, a known type, and fields that type needs.
func DecodeFrame(data []byte) (Frame, error) {
	var f Frame
	if len(data) > MaxFrame {
		return f, ErrFrameLarge
	}
	if !utf8.Valid(data) {
		return f, ErrNotUTF8
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Frame{}, ErrBadFrame
	}
	if dec.More() {
		return Frame{}, ErrBadFrame
	}
	if f.M != nil || f.Items != nil || (f.MID != "" && f.T != FrameRecall && f.T != FrameReact && f.T != FrameHide && f.T != FrameFav) || f.Code != "" || f.Message != "" ||
		f.From != "" || f.Online || f.Seen != "" || f.Reactions != nil || (f.Emoji != "" && f.T != FrameReact) || f.Count != 0 || f.Ref != "" || f.State != "" {
		return Frame{}, ErrBadFrame // server-only fields
	}
	if f.T != FrameSend && (len(f.Mention) > 0 || f.All || f.Kind != "" || f.Card != nil) {
		return Frame{}, ErrBadFrame
	}
	if f.T != FramePat && f.Who != "" {
		return Frame{}, ErrBadFrame
	}
	if f.T != FrameSync && f.Convs != nil {
		return Frame{}, ErrBadFrame
	}
	if !fieldsOK(f) {
		return Frame{}, ErrBadFrame
	}
	return f, nil
}

// fieldsOK checks the fields each frame type needs (present, and not too
// long).
func fieldsOK(f Frame) bool {
	switch f.T {
	case FrameSend:
		if f.C == "" || f.ID == "" || len(f.ID) > ClientIDMax || len(f.C) > 15 || len(f.Mention) > 50 {
			return false
		}
		switch f.Kind {
		case "", MsgText:
			if f.Card != nil {
				return false
			}
		case MsgCard:
			if f.Card == nil || f.Card.Type == "" || len(f.Card.Type) > 32 || len(f.Card.Ref) > 64 {
				return false
			}
		default:
			return false // pictures and files go through POST /chats/{id}/media
		}
	case FrameSync:
		if f.Convs != nil { // many conversations: convs alone
			if f.C != "" || f.After != nil || len(f.Convs) == 0 || len(f.Convs) > SyncConvsMax {
				return false
			}
			for c, after := range f.Convs {
				if c == "" || len(c) > 15 || after < 0 {
					return false
				}
			}
			return true
		}
		if f.C == "" || len(f.C) > 15 || f.After == nil || *f.After < 0 {
			return false
		}
	case FrameRead:
		if f.C == "" || len(f.C) > 15 || f.Seq < 0 {
			return false
		}
	case FrameRecall:
		if f.C == "" || len(f.C) > 15 || f.MID == "" || len(f.MID) > 15 {
			return false
		}
	case FrameTyping:
		if f.C == "" || len(f.C) > 15 {
			return false
		}
	case FrameHide, FrameFav:
		if f.C == "" || len(f.C) > 15 || f.MID == "" || len(f.MID) > 15 {
			return false
		}
	case FramePat:
		if f.C == "" || len(f.C) > 15 || f.Who == "" || len(f.Who) > 15 {
			return false
		}
	case FrameReact:
		if f.C == "" || len(f.C) > 15 || f.MID == "" || len(f.MID) > 15 || f.Emoji == "" || len(f.Emoji) > 16 {
			return false
		}
	case FramePing:
	default:
		return false
	}
	return true
}
