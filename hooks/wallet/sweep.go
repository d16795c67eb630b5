package wallet

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Sweep settles every transfer and red packet whose time is up: refunds
// what is left to the sender, each in its own transaction with a
// conditional update, so sweeps running at once (or racing an accept or a
// claim) settle each item exactly once. It returns how many it settled.
// The server makes these refunds, so they take no PIN.
func (w *Wallet) Sweep() (int, error) {
	now := w.Now()
	at := now.Format(types.DefaultDateLayout)
	var transfers, packets []string
	if err := w.app.DB().NewQuery(`SELECT id FROM wallet_transfers WHERE state = 'pending' AND expires <= {:now} LIMIT 1000`).
		Bind(dbx.Params{"now": at}).Column(&transfers); err != nil {
		return 0, fmt.Errorf("due transfers: %w", err)
	}
	if err := w.app.DB().NewQuery(`SELECT id FROM red_packets WHERE state = 'open' AND expires <= {:now} LIMIT 1000`).
		Bind(dbx.Params{"now": at}).Column(&packets); err != nil {
		return 0, fmt.Errorf("due red packets: %w", err)
	}
	n := 0
	for _, id := range transfers {
		err := w.app.RunInTransaction(func(txApp core.App) error {
			t, err := loadTransfer(txApp, id)
			if err != nil {
				return err
			}
			ok, err := w.settleTransfer(txApp, &t, TransferRefunded, now)
			if ok {
				n++
			}
			return err
		})
		if err != nil {
			return n, fmt.Errorf("refund transfer %s: %w", id, err)
		}
	}
	for _, id := range packets {
		err := w.app.RunInTransaction(func(txApp core.App) error {
			p, err := loadPacket(txApp, id)
			if err != nil {
				return err
			}
			ok, err := w.expirePacket(txApp, p, now)
			if ok {
				n++
			}
			return err
		})
		if err != nil {
			return n, fmt.Errorf("refund red packet %s: %w", id, err)
		}
	}
	return n, nil
}

// sweepEvery is how often the cron job looks for expired items.
const sweepEvery = "* * * * *"

func registerSweep(app core.App, w *Wallet) {
	app.Cron().MustAdd("wallet_sweep", sweepEvery, func() {
		if n, err := w.Sweep(); err != nil {
			app.Logger().Error("wallet: sweep", "error", err.Error())
		} else if n > 0 {
			app.Logger().Info("wallet: refunded expired items", "count", n)
		}
	})
}
