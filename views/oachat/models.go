// Package oachat draws followers' side of Official Accounts' chats that
// chat does not: the Subscriptions list and the operators' inbox.
package oachat

import "plaza/views/layout"

// Subscription is one subscription account in Subscriptions.
type Subscription struct {
	Handle, Name, Initial, AvatarURL string
	Latest                           string // the newest article's title
	LatestHref                       string
	When                             string // RFC 3339
	Unread                           bool
	ChatHref                         string
}

// Subscriptions is the Subscriptions page.
type Subscriptions struct {
	Items []Subscription
}

// Thread is one follower's chat in the inbox.
type Thread struct {
	Member, Name, Initial, AvatarURL string
	Preview                          string
	When                             string // RFC 3339
	Open                             bool   // the reply window is open
	Href                             string
}

// Inbox is the operators' inbox of an account.
type Inbox struct {
	Account, Handle string
	Threads         []Thread
}

// Line is one message of a thread.
type Line struct {
	FromFollower bool
	Text         string
	When         string
}

// ThreadPage is one follower's chat as the operators see it, with the
// answer form while the window is open.
type ThreadPage struct {
	Account, Handle, Name string
	Lines                 []Line
	Until                 string // RFC 3339: when the window closes ("" closed)
	Action                string
	Flash                 layout.Flash
}
