package module

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// ChatFolder is one row a module adds to the chat list standing for many
// chats folded into it (Official Accounts' Subscriptions): a dot when
// something is new, never a count, and no notification.
type ChatFolder struct {
	ID    string // "subscriptions"; the row's data-folder
	Owner string
	Label string // i18n key of its title
	Href  string // where the row leads
	// Row is the folder's row for memberID; ok false when the member has
	// nothing in it (no row is drawn).
	Row func(app core.App, memberID string) (row FolderRow, ok bool, err error)
}

// FolderRow is what a folder's row shows.
type FolderRow struct {
	Preview string    // the newest thing in it
	At      time.Time // when (zero: none yet)
	Unread  bool      // something new since the member last looked
}

// AddChatFolder adds a folder row to every member's chat list.
func (r *Registry) AddChatFolder(f ChatFolder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, old := range r.folders {
		if old.ID == f.ID {
			panic("module: chat folder " + f.ID + " registered by " + old.Owner + " and " + f.Owner)
		}
	}
	r.folders = append(r.folders, f)
}

// ChatFolders are the folders added, in the order they were.
func (r *Registry) ChatFolders() []ChatFolder {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]ChatFolder(nil), r.folders...)
}
