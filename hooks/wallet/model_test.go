package wallet_test

// TestModelRandomised drives the wallet with random sequences of money
// operations among 52 members and checks every outcome against a reference
// model in plain Go maps: whether each operation succeeds or the exact
// problem key it is refused with, and after every step every member's
// balance, the escrow and treasury totals, every transfer, red packet,
// voucher, AA share, withdrawal, PIN row and the number of recorded
// idempotency keys, the model's own conservation law (members + escrow =
// issued − paid out, no balance below zero), the seeds of closed lucky
// packets against their commitments and shares, and wallet.Verify.
//
// The world (members, a ring and a star of friendships, 201 1:1 chats, 7
// groups of 3 to 41 members, an initial balance for most members) is built
// once and snapshotted; every seed starts from its own copy, so seeds are
// independent, run on all cores at once, and any one can be rerun alone:
//
//	go test ./hooks/wallet/ -run TestModelRandomised -v            # 60 seeds × 125 operations
//	go test ./hooks/wallet/ -run TestModelRandomised -short        # 5 seeds × 100 operations
//	go test ./hooks/wallet/ -run TestModelRandomised -v -wallet.seeds 100 -wallet.ops 2000 -timeout 60m
//	go test ./hooks/wallet/ -run TestModelRandomised -v -wallet.seed 17 -wallet.ops 90
//
// Many short seeds rather than a few long ones: wallet.Verify runs after
// every step and costs about 1.5 ms plus a little per row, so small
// databases keep the normal run near a quarter of a minute on two cores.
//
// The operation choices are a pure function of the seed, but the wallet
// draws lucky-packet seeds from crypto/rand, so two runs of one seed can
// part ways after a lucky claim (its amount feeds later choices). A failure
// therefore prints the seed, the step and the last operations with their
// actual amounts and results.

import (
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/crypto/bcrypt"

	"plaza/hooks"
	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/wallet"
	"plaza/hooks/wallet/split"
	"plaza/pb_migrations"
	"plaza/public"
)

var (
	modelSeeds   = flag.Int("wallet.seeds", 0, "TestModelRandomised: how many seeds to run (default 60, 5 with -short)")
	modelOps     = flag.Int("wallet.ops", 0, "TestModelRandomised: operations per seed (default 125, 100 with -short)")
	modelSeed    = flag.Int64("wallet.seed", -1, "TestModelRandomised: run only this seed")
	modelVerify  = flag.Int("wallet.verify", 1, "TestModelRandomised: run wallet.Verify every N steps (and at the end of each seed)")
	modelWorkers = flag.Int("wallet.workers", 0, "TestModelRandomised: seeds run at once, each on its own copy of the world (default GOMAXPROCS)")
)

// Model world sizes and limits.
const (
	modelMembers     = 52
	modelTrail       = 40     // operations printed on failure
	modelTransferMax = 20_000 // lowered in the snapshot so the limits are reached
	modelDailyMax    = 30_000
)

// mChat is a 1:1 chat or a group of the model world.
type mChat struct {
	id      string
	name    string
	direct  bool
	owner   int
	members []int
	in      map[int]bool
}

func (c *mChat) other(m int) int {
	if c.members[0] == m {
		return c.members[1]
	}
	return c.members[0]
}

// modelWorld is the snapshot every seed starts from.
type modelWorld struct {
	dir       string // data dir holding the snapshot's data.db
	ids       []string
	plazaIDs  []string
	index     map[string]int
	directs   []*mChat
	groups    []*mChat
	directsOf [][]*mChat
	groupsOf  [][]*mChat
	settings  settings.Settings
	endowment []int64  // each member's balance in the snapshot
	pins      []string // each member's pay PIN in the snapshot ("" for none)
}

func buildModelWorld(t *testing.T) *modelWorld {
	t.Helper()
	app := testapp.New(t)
	rec, err := app.FindRecordById(settings.CollectionName, pb_migrations.SettingsRecordID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("transfer_max", modelTransferMax)
	rec.Set("transfer_daily_max", modelDailyMax)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	mw := &modelWorld{index: map[string]int{}, directsOf: make([][]*mChat, modelMembers), groupsOf: make([][]*mChat, modelMembers)}
	// Login passwords at bcrypt's lowest cost: 52 members are made and
	// ChangePIN checks a password now and then.
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := users.Fields.GetByName("password").(*core.PasswordField); ok {
		f.Cost = bcrypt.MinCost
		if err := app.Save(users); err != nil {
			t.Fatal(err)
		}
	}
	recs := make([]*core.Record, modelMembers)
	for i := range recs {
		recs[i] = testapp.CreateMember(t, app, fmt.Sprintf("member_%02d", i))
		mw.ids = append(mw.ids, recs[i].Id)
		mw.plazaIDs = append(mw.plazaIDs, recs[i].GetString("plaza_id"))
		mw.index[recs[i].Id] = i
	}
	// A ring (each member befriends the next three) and a star around
	// member 0 (everyone asks member 0: one member may send only 30
	// friend requests an hour).
	friends := map[[2]int]bool{}
	var pairs [][2]int
	addFriends := func(from, to int) {
		k := [2]int{min(from, to), max(from, to)}
		if friends[k] {
			return
		}
		friends[k] = true
		pairs = append(pairs, k)
		befriend(t, app, recs[from], recs[to])
	}
	for i := range modelMembers {
		for d := 1; d <= 3; d++ {
			addFriends(i, (i+d)%modelMembers)
		}
	}
	for j := 1; j < modelMembers; j++ {
		addFriends(j, 0)
	}
	for _, p := range pairs {
		id, err := chat.OpenDirect(app, mw.ids[p[0]], mw.ids[p[1]])
		if err != nil {
			t.Fatal(err)
		}
		c := &mChat{id: id, name: fmt.Sprintf("d%02d-%02d", p[0], p[1]), direct: true, owner: -1, members: []int{p[0], p[1]}}
		mw.directs = append(mw.directs, c)
	}
	ring := func(i int, ds ...int) []int {
		var out []int
		for _, d := range ds {
			out = append(out, ((i+d)%modelMembers+modelMembers)%modelMembers)
		}
		return out
	}
	span := func(from, to int) []int {
		var out []int
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
	for _, g := range []struct {
		owner   int
		members []int
	}{
		{0, span(1, 40)},                    // 41 members
		{0, span(41, 51)},                   // 12
		{10, ring(10, -3, -2, -1, 1, 2, 3)}, // 7
		{20, ring(20, 1, 2, 3)},             // 4
		{30, ring(30, -1, 1)},               // 3, the smallest group
		{45, ring(45, -3, -2, -1, 1, 2, 3)}, // 7
		{5, ring(5, -1, 2, 3, -5)},          // 5 (-5 is member 0, the hub)
	} {
		var ids []string
		for _, m := range g.members {
			ids = append(ids, mw.ids[m])
		}
		id, err := testapp.Services(t, app).Chat.CreateGroup(mw.ids[g.owner], fmt.Sprintf("Group of %d", g.owner), ids)
		if err != nil {
			t.Fatalf("group of %d: %v", g.owner, err)
		}
		c := &mChat{id: id, name: fmt.Sprintf("g%d(%d)", len(mw.groups), len(g.members)+1), owner: g.owner,
			members: append([]int{g.owner}, g.members...)}
		mw.groups = append(mw.groups, c)
	}
	for _, c := range append(slices.Clone(mw.directs), mw.groups...) {
		c.in = map[int]bool{}
		for _, m := range c.members {
			c.in[m] = true
			if c.direct {
				mw.directsOf[m] = append(mw.directsOf[m], c)
			} else {
				mw.groupsOf[m] = append(mw.groupsOf[m], c)
			}
		}
	}
	// Everyone but a few starts with some money (the same in every seed).
	endow := rand.New(rand.NewPCG(1, 2))
	mw.endowment = make([]int64, modelMembers)
	for i := range mw.endowment {
		if endow.IntN(4) == 0 {
			continue
		}
		mw.endowment[i] = 1 + endow.Int64N(30_000)
		if _, err := wallet.Mint(app, mw.plazaIDs[i], mw.endowment[i], "endowment"); err != nil {
			t.Fatal(err)
		}
	}
	// Everyone but every fourth member starts with a pay PIN: payments
	// check it (the members without one are refused wallet.no_pin until
	// they set one).
	w := testapp.Services(t, app).Wallet
	mw.pins = make([]string, modelMembers)
	for i := range mw.pins {
		if i%4 == 3 {
			continue
		}
		mw.pins[i] = fmt.Sprintf("%06d", 100_000+i*7)
		if err := w.SetPIN(mw.ids[i], mw.pins[i]); err != nil {
			t.Fatal(err)
		}
	}
	mw.settings = settings.Get(app)
	if mw.settings.TransferMax != modelTransferMax || mw.settings.TransferDailyMax != modelDailyMax {
		t.Fatalf("settings: %+v", mw.settings)
	}
	mw.dir = t.TempDir()
	if _, err := app.DB().NewQuery("VACUUM INTO {:p}").Bind(dbx.Params{"p": filepath.Join(mw.dir, "data.db")}).Execute(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return mw
}

// ---- the reference model ----

type mTransfer struct {
	id                string
	sender, recipient int
	amount            int64
	created, expires  time.Time
	state             string
}

type mClaim struct {
	member int
	amount int64
}

type mPacket struct {
	id           string
	sender       int
	chat         *mChat
	kind         string
	total        int64
	count        int
	per          int64 // a normal packet's share
	target       int   // an exclusive packet's member, else -1
	claims       []mClaim
	claimedTotal int64
	refunded     int64
	expires      time.Time
	state        string
	checked      bool // a closed lucky packet's seed was checked
}

func (p *mPacket) claimOf(m int) (int, bool) {
	for i, c := range p.claims {
		if c.member == m {
			return i, true
		}
	}
	return -1, false
}

type mVoucher struct {
	code       string // as stored: upper case
	amount     int64
	redeemedBy int // -1 while unredeemed
}

type mAA struct {
	id        string
	chat      *mChat
	organiser int
	each      int64
	shares    map[int]bool // member → paid
	order     []int
}

type mWithdrawal struct {
	id     string
	member int
	amount int64
	state  string
}

type mPIN struct {
	pin         string
	failures    int
	lockedUntil time.Time // the last lock, kept after it ends, as the database does
}

func (p *mPIN) locked(now time.Time) bool { return p.lockedUntil.After(now) }

type mLink struct {
	payee int
	fixed int64
	epoch int64
	raw   string
}

// mRequest is a keyed request that succeeded: replaying it must return the
// first result and change nothing.
type mRequest struct {
	member int
	key    string
	op     string
	want   string
	replay func() (string, error)
	differ func() error // the same operation, other input, same key
}

type model struct {
	now          time.Time
	bal          []int64
	minted       int64 // mints and redeemed vouchers: what the treasury issued
	paidOut      int64 // withdrawals paid back into the treasury
	transfers    []*mTransfer
	transferByID map[string]*mTransfer
	packets      []*mPacket
	vouchers     []*mVoucher
	aas          []*mAA
	withdrawals  []*mWithdrawal
	pins         []*mPIN
	epoch        []int64
	links        []*mLink
	requests     []*mRequest
	recorded     []map[string]bool // member → keys recorded
	freeKeys     [][]string        // member → keys of refused requests (nothing recorded: reusable)
	vouchersMade int
}

func (m *model) escrow() int64 {
	var e int64
	for _, t := range m.transfers {
		if t.state == wallet.TransferPending {
			e += t.amount
		}
	}
	for _, p := range m.packets {
		if p.state == wallet.PacketOpen {
			e += p.total - p.claimedTotal
		}
	}
	for _, w := range m.withdrawals {
		if w.state == wallet.WithdrawalPending {
			e += w.amount
		}
	}
	return e
}

// sentToday is what the member sent in transfers on the current UTC day
// (settled or not), against the daily limit.
func (m *model) sentToday(member int) int64 {
	var sum int64
	today := m.now.Format(time.DateOnly)
	for _, t := range m.transfers {
		if t.sender == member && t.created.Format(time.DateOnly) == today {
			sum += t.amount
		}
	}
	return sum
}

func (m *model) expired(at time.Time) bool { return !m.now.Before(at) }

// refundTransfer and expirePacket are what the sweep (or a late accept or
// claim) does to an item whose time is up.
func (m *model) refundTransfer(t *mTransfer) {
	t.state = wallet.TransferRefunded
	m.bal[t.sender] += t.amount
}

func (m *model) expirePacket(p *mPacket) {
	p.state = wallet.PacketExpired
	p.refunded = p.total - p.claimedTotal
	m.bal[p.sender] += p.refunded
}

// ---- statistics ----

type callStat struct {
	n, ok   int
	refused map[string]int
}

type modelStats struct {
	seeds, steps int
	ops          map[string]int
	calls        map[string]*callStat
	ends         map[string]int
	// where the time went
	tSetup, tOps, tChecks, tVerify time.Duration
}

func newModelStats() *modelStats {
	return &modelStats{ops: map[string]int{}, calls: map[string]*callStat{}, ends: map[string]int{}}
}

// add merges a seed's statistics into s.
func (s *modelStats) add(o *modelStats) {
	s.seeds += o.seeds
	s.steps += o.steps
	for k, n := range o.ops {
		s.ops[k] += n
	}
	for k, n := range o.ends {
		s.ends[k] += n
	}
	for k, c := range o.calls {
		d := s.calls[k]
		if d == nil {
			d = &callStat{refused: map[string]int{}}
			s.calls[k] = d
		}
		d.n += c.n
		d.ok += c.ok
		for r, n := range c.refused {
			d.refused[r] += n
		}
	}
	s.tSetup += o.tSetup
	s.tOps += o.tOps
	s.tChecks += o.tChecks
	s.tVerify += o.tVerify
}

func (s *modelStats) call(label, key string) {
	c := s.calls[label]
	if c == nil {
		c = &callStat{refused: map[string]int{}}
		s.calls[label] = c
	}
	c.n++
	if key == "" {
		c.ok++
	} else {
		c.refused[key]++
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (s *modelStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d seeds, %d operations; time summed over the workers: copying the world %v, operations %v, model checks %v, wallet.Verify %v\noperations:\n",
		s.seeds, s.steps, s.tSetup.Round(time.Millisecond), s.tOps.Round(time.Millisecond), s.tChecks.Round(time.Millisecond), s.tVerify.Round(time.Millisecond))
	for _, k := range sortedKeys(s.ops) {
		fmt.Fprintf(&b, "  %-16s %6d\n", k, s.ops[k])
	}
	b.WriteString("calls (ok / refused by problem key):\n")
	for _, k := range sortedKeys(s.calls) {
		c := s.calls[k]
		var refused []string
		for _, r := range sortedKeys(c.refused) {
			refused = append(refused, fmt.Sprintf("%s×%d", r, c.refused[r]))
		}
		fmt.Fprintf(&b, "  %-34s %6d  ok %6d  refused %6d  %s\n", k, c.n, c.ok, c.n-c.ok, strings.Join(refused, " "))
	}
	b.WriteString("states at the end of the seeds, and events:\n")
	for _, k := range sortedKeys(s.ends) {
		fmt.Fprintf(&b, "  %-34s %6d\n", k, s.ends[k])
	}
	return b.String()
}

// ---- the runner ----

type modelRun struct {
	t      *testing.T
	seed   uint64
	step   int
	ops    int
	rng    *rand.Rand
	wd     *world
	app    core.App
	w      *wallet.Wallet
	mw     *modelWorld
	s      settings.Settings
	m      *model
	stats  *modelStats
	trail  []string
	cur    strings.Builder
	before []int64 // the model's balances before the step
	verify int
}

func TestModelRandomised(t *testing.T) {
	seeds, ops := 60, 125
	if testing.Short() {
		seeds, ops = 5, 100
	}
	if *modelSeeds > 0 {
		seeds = *modelSeeds
	}
	if *modelOps > 0 {
		ops = *modelOps
	}
	first := uint64(1)
	if *modelSeed >= 0 {
		first, seeds = uint64(*modelSeed), 1
	}
	start := time.Now()
	mw := buildModelWorld(t)
	t.Logf("world: %d members, %d 1:1 chats, %d groups, built in %v", len(mw.ids), len(mw.directs), len(mw.groups), time.Since(start).Round(time.Millisecond))
	// Seeds are independent (each has its own copy of the world), so
	// several run at once, one per worker; a failure stops the others
	// after their current seed.
	workers := *modelWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, seeds), 1)
	queue := make(chan uint64, seeds)
	for i := range seeds {
		queue <- first + uint64(i)
	}
	close(queue)
	stats := newModelStats()
	var mu sync.Mutex
	var failed atomic.Bool
	var wg sync.WaitGroup
	runStart := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(fmt.Sprintf("worker%d", w), func(t *testing.T) {
				defer func() {
					if t.Failed() {
						failed.Store(true)
					}
				}()
				for seed := range queue {
					if failed.Load() {
						return
					}
					local := newModelStats()
					seedStart := time.Now()
					runModelSeed(t, mw, seed, ops, local)
					mu.Lock()
					stats.add(local)
					done := stats.seeds
					mu.Unlock()
					if ops >= 1000 { // long runs show their progress
						t.Logf("seed %d: %d operations in %v (%d of %d seeds done)", seed, ops, time.Since(seedStart).Round(time.Millisecond), done, seeds)
					}
				}
			})
		}()
	}
	wg.Wait()
	t.Logf("model run: %d seeds × %d operations in %v on %d worker(s) (wallet.Verify after every step: -wallet.verify %d)\n%s",
		stats.seeds, ops, time.Since(runStart).Round(time.Millisecond), workers, max(*modelVerify, 1), stats)
}

func runModelSeed(t *testing.T, mw *modelWorld, seed uint64, ops int, stats *modelStats) {
	t.Helper()
	setup := time.Now()
	app, err := tests.NewTestApp(mw.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	services, err := hooks.Register(app, public.FS)
	if err != nil {
		t.Fatal(err)
	}
	app.Settings().RateLimits.Enabled = false
	wd := &world{app: app, w: services.Wallet, tb: t, now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	wd.w.SetClock(wd.clock)
	n := len(mw.ids)
	r := &modelRun{t: t, seed: seed, ops: ops, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		wd: wd, app: app, w: wd.w, mw: mw, s: settings.Get(app), stats: stats, verify: max(*modelVerify, 1), before: make([]int64, n),
		m: &model{now: wd.now, bal: make([]int64, n), pins: make([]*mPIN, n), epoch: make([]int64, n),
			recorded: make([]map[string]bool, n), freeKeys: make([][]string, n), transferByID: map[string]*mTransfer{}}}
	for i := range r.m.recorded {
		r.m.recorded[i] = map[string]bool{}
	}
	for i, pin := range mw.pins {
		if pin != "" {
			r.m.pins[i] = &mPIN{pin: pin}
		}
	}
	copy(r.m.bal, mw.endowment)
	copy(r.before, mw.endowment)
	for _, b := range mw.endowment {
		r.m.minted += b
	}
	if r.s != mw.settings {
		t.Fatalf("settings of the copy: %+v", r.s)
	}
	type op struct {
		name   string
		weight int
		run    func()
	}
	table := []op{
		{"mint", 6, r.opMint},
		{"voucher", 5, r.opVoucher},
		{"transfer", 14, r.opTransfer},
		{"settle", 11, r.opSettle},
		{"clock", 5, r.opClock},
		{"packet", 11, r.opPacket},
		{"claim", 16, r.opClaim},
		{"pay", 7, r.opPay},
		{"resetcollect", 2, r.opResetCollect},
		{"aa", 3, r.opStartAA},
		{"aapay", 5, r.opPayAA},
		{"withdraw", 2, r.opWithdraw},
		{"withdrawsettle", 2, r.opSettleWithdrawal},
		{"retry", 6, r.opRetry},
		{"pin", 6, r.opPIN},
	}
	stats.tSetup += time.Since(setup)
	total := 0
	for _, o := range table {
		total += o.weight
	}
	for r.step = 0; r.step < ops; r.step++ {
		roll := r.rng.IntN(total)
		var o op
		for _, o = range table {
			if roll < o.weight {
				break
			}
			roll -= o.weight
		}
		r.cur.Reset()
		fmt.Fprintf(&r.cur, "#%d %s @%s:", r.step, o.name, r.m.now.Format("01-02 15:04:05"))
		stats.ops[o.name]++
		stats.steps++
		t0 := time.Now()
		o.run()
		t1 := time.Now()
		stats.tOps += t1.Sub(t0)
		r.check(r.step%r.verify == 0 || r.step == ops-1, r.step == ops-1)
		stats.tChecks += time.Since(t1)
		r.trail = append(r.trail, r.cur.String())
		if len(r.trail) > modelTrail {
			r.trail = r.trail[1:]
		}
	}
	stats.seeds++
	for _, tr := range r.m.transfers {
		stats.ends["transfer "+tr.state]++
	}
	for _, p := range r.m.packets {
		k := "red packet " + p.state
		if p.state == wallet.PacketExpired {
			if len(p.claims) > 0 {
				k += " with claims"
			} else {
				k += " without claims"
			}
		}
		stats.ends[k]++
		if p.state == wallet.PacketFinished && p.count > 1 {
			stats.ends["red packet finished with several shares"]++
		}
	}
	for _, w := range r.m.withdrawals {
		stats.ends["withdrawal "+w.state]++
	}
	for _, a := range r.m.aas {
		for _, paid := range a.shares {
			if paid {
				stats.ends["AA share paid"]++
			} else {
				stats.ends["AA share unpaid"]++
			}
		}
	}
}

// ---- helpers ----

func (r *modelRun) failf(format string, args ...any) {
	r.t.Helper()
	trail := append(slices.Clone(r.trail), r.cur.String()+"   <-- failed here")
	r.t.Fatalf("seed %d, step %d: %s\n\nlast operations, oldest first:\n  %s\n\nrerun this seed alone: go test ./hooks/wallet/ -run TestModelRandomised -v -wallet.seed %d -wallet.ops %d",
		r.seed, r.step, fmt.Sprintf(format, args...), strings.Join(trail, "\n  "), r.seed, r.step+1)
}

func (r *modelRun) logf(format string, args ...any) {
	r.cur.WriteString(" ")
	fmt.Fprintf(&r.cur, format, args...)
}

// errKey is a Problem's key, or its first field's key.
func errKey(err error) string {
	if err == nil {
		return ""
	}
	if k := problemKey(err); k != "" {
		return k
	}
	p, ok := problem.As(err)
	switch {
	case !ok:
		return "internal error: " + err.Error()
	case len(p.Fields) > 0:
		return p.Fields[0].Key
	}
	return "problem without a key: " + err.Error()
}

// expect checks a call's outcome against the model's prediction (want
// empty: success) and reports whether it succeeded.
func (r *modelRun) expect(label string, err error, want string) bool {
	r.t.Helper()
	got := errKey(err)
	shown := got
	if shown == "" {
		shown = "ok"
	}
	r.logf("→ %s;", shown)
	r.stats.call(label, got)
	if got != want {
		if want == "" {
			want = "success"
		}
		r.failf("%s: got %q (%v), the model expects %q", label, got, err, want)
	}
	return got == ""
}

func (r *modelRun) pct(p int) bool { return r.rng.IntN(100) < p }

func (r *modelRun) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.rng.Int64N(hi-lo+1)
}

func (r *modelRun) member() int { return r.rng.IntN(len(r.mw.ids)) }

// rich is a member with money most of the time.
func (r *modelRun) rich() int {
	if r.pct(85) {
		var with []int
		for i, b := range r.m.bal {
			if b > 0 {
				with = append(with, i)
			}
		}
		if len(with) > 0 {
			return with[r.rng.IntN(len(with))]
		}
	}
	return r.member()
}

// outside is a member who is not in the chat.
func (r *modelRun) outside(c *mChat) int {
	for {
		if m := r.member(); !c.in[m] {
			return m
		}
	}
}

func mname(m int) string { return fmt.Sprintf("m%02d", m) }

func pick[T any](r *modelRun, xs []T) T { return xs[r.rng.IntN(len(xs))] }

var modelWords = []string{"lunch", "taxi", "gift", "thanks", "rent", "coffee", "tickets", "", "  padded  ", "红包", "生日快乐"}

func (r *modelRun) text() string { return pick(r, modelWords) }

// otherText is a valid note, greeting, memo or title other than s.
func otherText(s string) string {
	if strings.TrimSpace(s) == "different" {
		return "another"
	}
	return "different"
}

// key is the idempotency key of a new request of the member: usually a
// fresh one; sometimes a key of the member's that was refused before (a
// refusal records nothing, so it is free), or a key another member used
// (keys are per member).
func (r *modelRun) key(m int) string {
	if r.rng.IntN(200) < 3 {
		return pick(r, []string{"short", "has a space", strings.Repeat("k", 101), "semi;colon1"})
	}
	if free := r.m.freeKeys[m]; len(free) > 0 && r.pct(20) {
		k := free[len(free)-1]
		r.m.freeKeys[m] = free[:len(free)-1]
		if !r.m.recorded[m][k] {
			r.logf("[refused key %s again]", k)
			return k
		}
	}
	if len(r.m.requests) > 0 && r.pct(4) {
		q := pick(r, r.m.requests)
		if q.member != m && !r.m.recorded[m][q.key] {
			r.logf("[%s's key %s]", mname(q.member), q.key)
			return q.key
		}
	}
	return r.wd.key()
}

// badKey reports whether wallet.CheckKey refuses the key.
func badKey(key string) bool { return wallet.CheckKey(key) != nil }

// keyed files a keyed request's outcome: a success is recorded (and may be
// replayed), a refusal leaves the key free.
func (r *modelRun) keyed(m int, key, op string, ok bool, want string, replay func() (string, error), differ func() error) {
	if !ok {
		r.m.freeKeys[m] = append(r.m.freeKeys[m], key)
		if len(r.m.freeKeys[m]) > 8 {
			r.m.freeKeys[m] = r.m.freeKeys[m][1:]
		}
		return
	}
	r.m.recorded[m][key] = true
	r.m.requests = append(r.m.requests, &mRequest{member: m, key: key, op: op, want: want, replay: replay, differ: differ})
}

// pinGate is the PIN check the pages run before an outgoing payment: some
// of the time, for members with a PIN, with the right PIN. A locked member
// cannot pay.
func (r *modelRun) pinGate(m int) bool {
	p := r.m.pins[m]
	if p == nil || !r.pct(25) {
		return true
	}
	r.logf("PIN check of %s", mname(m))
	return r.checkPIN(m, p.pin, "CheckPIN (before paying)")
}

// gateRefuses is the PIN check every outgoing payment runs itself, after
// its idempotency key is found new (the model's payments pass the member's
// PIN): it reports whether it refuses m, and why in want. A right PIN
// clears the wrong tries, as CheckPIN does.
func (r *modelRun) gateRefuses(m int, want *string) bool {
	p := r.m.pins[m]
	switch {
	case p == nil:
		*want = "wallet.no_pin"
	case p.locked(r.m.now):
		*want = "wallet.pin_locked"
	default:
		p.failures = 0
		return false
	}
	return true
}

// payPIN is the PIN the model's member pays with: theirs ("" before they
// set one).
func (r *modelRun) payPIN(memberID string) wallet.Option {
	if p := r.m.pins[r.mw.index[memberID]]; p != nil {
		return wallet.WithPIN(p.pin)
	}
	return wallet.WithPIN("")
}

// checkPIN runs CheckPIN and the model's PIN rules.
func (r *modelRun) checkPIN(m int, pin, label string) bool {
	r.t.Helper()
	p := r.m.pins[m]
	err := r.w.CheckPIN(r.mw.ids[m], pin)
	want := ""
	left := 0
	switch {
	case p == nil:
		want = "wallet.no_pin"
	case p.locked(r.m.now):
		want = "wallet.pin_locked"
	case pin == p.pin:
		p.failures = 0
	default:
		p.failures++
		want, left = "wallet.pin_wrong", wallet.PINTries-p.failures
		if p.failures >= wallet.PINTries {
			p.lockedUntil, p.failures, want = r.m.now.Add(wallet.PINLock), 0, "wallet.pin_locked"
			r.stats.ends["event: PIN locked by the 5th wrong try"]++
		}
	}
	ok := r.expect(label, err, want)
	if pe, isProblem := problem.As(err); isProblem {
		switch want {
		case "wallet.pin_wrong":
			if pe.Args["count"] != left {
				r.failf("%s: %v tries left, the model says %d", label, pe.Args["count"], left)
			}
		case "wallet.pin_locked":
			if u := p.lockedUntil.Format("2006-01-02 15:04 UTC"); pe.Args["until"] != u {
				r.failf("%s: locked until %v, the model says %s", label, pe.Args["until"], u)
			}
		}
	}
	return ok
}

// ---- operations ----

func (r *modelRun) opMint() {
	m := r.member()
	amount := r.between(1, 50_000)
	want := ""
	if r.pct(4) {
		amount, want = -r.between(0, 100), "wallet.amount_bad"
	}
	if r.pct(2) {
		// A superuser types a fraction of a cent in /_/.
		coll, err := r.app.FindCollectionByNameOrId(wallet.MintsCollection)
		if err != nil {
			r.failf("%v", err)
		}
		rec := core.NewRecord(coll)
		rec.Set("member", r.mw.ids[m])
		rec.Set("amount", 10.5)
		r.logf("%s 10.5 cents", mname(m))
		r.expect("create mint (fraction)", r.app.Save(rec), "wallet.amount_bad")
		return
	}
	r.logf("%s %d", mname(m), amount)
	_, err := wallet.Mint(r.app, r.mw.plazaIDs[m], amount, "model")
	if r.expect("Mint", err, want) {
		r.m.bal[m] += amount
		r.m.minted += amount
	}
}

func (r *modelRun) opVoucher() {
	var v *mVoucher
	var unredeemed, redeemed []*mVoucher
	for _, x := range r.m.vouchers {
		if x.redeemedBy < 0 {
			unredeemed = append(unredeemed, x)
		} else {
			redeemed = append(redeemed, x)
		}
	}
	code := ""
	switch x := r.rng.IntN(100); {
	case x < 40 || (x < 70 && len(unredeemed) == 0):
		// A superuser makes a voucher in /_/ (lower case: it is stored in
		// upper case); most are redeemed at once.
		r.m.vouchersMade++
		raw := fmt.Sprintf("gift-%d-%04d", r.seed, r.m.vouchersMade)
		v = &mVoucher{code: strings.ToUpper(raw), amount: r.between(1, 30_000), redeemedBy: -1}
		coll, err := r.app.FindCollectionByNameOrId(wallet.VouchersCollection)
		if err != nil {
			r.failf("%v", err)
		}
		rec := core.NewRecord(coll)
		rec.Set("code", raw)
		rec.Set("amount", v.amount)
		r.logf("new %s of %d", v.code, v.amount)
		if !r.expect("create voucher", r.app.Save(rec), "") {
			return
		}
		r.m.vouchers = append(r.m.vouchers, v)
		if r.pct(30) {
			return
		}
		code = raw
	case x < 70:
		v = pick(r, unredeemed)
		code = v.code
	case x < 85 && len(redeemed) > 0:
		v = pick(r, redeemed)
		code = strings.ToLower(v.code)
	default:
		code = fmt.Sprintf("NOPE-%d-%d", r.seed, r.step)
	}
	if r.pct(30) {
		code = "  " + strings.ToLower(code) + " "
	}
	m := r.member()
	key := r.key(m)
	want := ""
	switch {
	case badKey(key):
		want = "wallet.bad_key"
	case v == nil:
		want = "wallet.voucher_unknown"
	case v.redeemedBy >= 0:
		want = "wallet.voucher_used"
	}
	r.logf("%s redeems %q", mname(m), code)
	got, err := r.w.RedeemVoucher(r.mw.ids[m], key, code)
	ok := r.expect("RedeemVoucher", err, want)
	if ok {
		if got != v.amount {
			r.failf("voucher %s credited %d, it is worth %d", v.code, got, v.amount)
		}
		v.redeemedBy = m
		r.m.bal[m] += got
		r.m.minted += got
	}
	id := r.mw.ids[m]
	r.keyed(m, key, "voucher", ok, fmt.Sprint(got),
		func() (string, error) { a, err := r.w.RedeemVoucher(id, key, code); return fmt.Sprint(a), err },
		func() error { _, err := r.w.RedeemVoucher(id, key, "OTHER-"+strings.TrimSpace(code)); return err })
}

func transferString(t wallet.Transfer) string {
	return fmt.Sprintf("transfer %s %s→%s in %s, %d %q %s, expires %s, card %s", t.ID, t.Sender, t.Recipient, t.Conversation,
		t.Amount, t.Note, t.State, t.Expires.UTC().Format(time.RFC3339Nano), t.Message)
}

func (r *modelRun) opTransfer() {
	sender := r.rich()
	s := r.s
	spree := len(r.m.transfers) > 0 && r.pct(20) // the last sender again, towards the daily limit
	if spree {
		sender = r.m.transfers[len(r.m.transfers)-1].sender
	}
	c := pick(r, r.mw.directsOf[sender])
	actor, conv := sender, c
	bal := r.m.bal[sender]
	var amount int64
	switch capped := min(bal, s.TransferMax); {
	case spree && r.pct(50):
		amount = r.between(s.TransferMax/2, s.TransferMax)
	case capped > 0 && r.pct(75):
		amount = r.between(1, capped)
	default:
		amount = r.between(bal+1, bal+3_000)
	}
	note := r.text()
	switch x := r.rng.IntN(100); {
	case x < 3:
		amount = -r.between(0, 10)
	case x < 6:
		amount = s.TransferMax + r.between(1, 1_000)
	case x < 8:
		note = strings.Repeat("字", wallet.NoteMax+1)
	case x < 12:
		actor = r.outside(c)
	case x < 14 && len(r.mw.groupsOf[sender]) > 0:
		conv = pick(r, r.mw.groupsOf[sender])
	case x < 17:
		amount = bal // all of it
	case x < 19:
		amount = s.TransferMax + r.between(0, 1) // the limit, or a cent over it
	case x < 21:
		amount = s.TransferDailyMax - r.m.sentToday(sender) + r.between(0, 1) // up to the daily limit, or a cent over it
	case x < 23:
		note = strings.Repeat("字", wallet.NoteMax)
	}
	amount = min(amount, s.TransferMax+1_000)
	in := wallet.TransferInput{Conversation: conv.id, Amount: amount, Note: note}
	key := r.key(actor)
	want := ""
	switch {
	case amount <= 0 || amount > wallet.MaxAmount:
		want = "wallet.amount_bad"
	case amount > s.TransferMax:
		want = "wallet.transfer_max"
	case utf8.RuneCountInString(strings.TrimSpace(note)) > wallet.NoteMax:
		want = "profile.too_long"
	case badKey(key):
		want = "wallet.bad_key"
	case r.gateRefuses(actor, &want):
	case !conv.direct || !conv.in[actor]:
		want = "wallet.not_found"
	case r.m.sentToday(actor)+amount > s.TransferDailyMax:
		want = "wallet.transfer_daily_max"
	case amount > r.m.bal[actor]:
		want = "wallet.insufficient"
	}
	if !r.pinGate(actor) {
		return
	}
	r.logf("%s sends %d in %s (note %q, key %s)", mname(actor), amount, conv.name, note, key)
	tr, err := r.w.SendTransfer(r.mw.ids[actor], key, in, r.payPIN(r.mw.ids[actor]))
	ok := r.expect("SendTransfer", err, want)
	if ok {
		recipient := c.other(sender)
		mt := &mTransfer{id: tr.ID, sender: actor, recipient: recipient, amount: amount, created: r.m.now,
			expires: r.m.now.Add(wallet.TransferTTL), state: wallet.TransferPending}
		if tr.Sender != r.mw.ids[actor] || tr.Recipient != r.mw.ids[recipient] || tr.Amount != amount || tr.State != wallet.TransferPending ||
			!tr.Expires.Equal(mt.expires) || tr.Note != strings.TrimSpace(note) || tr.Conversation != conv.id || tr.Message == "" {
			r.failf("sent %s, the model expects %s→%s %d expiring %v", transferString(tr), mname(actor), mname(recipient), amount, mt.expires)
		}
		r.logf("id %s", tr.ID)
		r.m.bal[actor] -= amount
		r.m.transfers = append(r.m.transfers, mt)
		r.m.transferByID[tr.ID] = mt
	}
	id := r.mw.ids[actor]
	r.keyed(actor, key, "transfer", ok, transferString(tr),
		func() (string, error) {
			t, err := r.w.SendTransfer(id, key, in, r.payPIN(id))
			return transferString(t), err
		},
		func() error {
			other := in
			other.Note = otherText(in.Note)
			_, err := r.w.SendTransfer(id, key, other, r.payPIN(id))
			return err
		})
}

func (r *modelRun) opSettle() {
	accept := r.pct(60)
	label, to := "ReturnTransfer", wallet.TransferReturned
	if accept {
		label, to = "AcceptTransfer", wallet.TransferAccepted
	}
	settle := func(m int, id string) (wallet.Transfer, error) {
		if accept {
			return r.w.AcceptTransfer(r.mw.ids[m], id)
		}
		return r.w.ReturnTransfer(r.mw.ids[m], id)
	}
	if len(r.m.transfers) == 0 || r.pct(2) {
		m := r.member()
		r.logf("%s: %s an unknown transfer", label, mname(m))
		_, err := settle(m, "nosuchtransfer1")
		r.expect(label+" (unknown id)", err, "wallet.not_found")
		return
	}
	var pending []*mTransfer
	for _, t := range r.m.transfers {
		if t.state == wallet.TransferPending {
			pending = append(pending, t)
		}
	}
	t := pick(r, r.m.transfers)
	if len(pending) > 0 && r.pct(75) {
		t = pick(r, pending)
	}
	actor := t.recipient
	switch x := r.rng.IntN(100); {
	case x < 10:
		actor = t.sender
	case x < 20:
		for actor == t.sender || actor == t.recipient {
			actor = r.member()
		}
	}
	want := ""
	switch {
	case actor == t.sender:
		want = "wallet.not_recipient"
	case actor != t.recipient:
		want = "wallet.not_found"
	case t.state == wallet.TransferPending && r.m.expired(t.expires):
		r.m.refundTransfer(t) // refunded on the spot, as the sweep would
		r.stats.ends["event: transfer refunded by a late accept or return"]++
		want = "wallet.transfer_refunded"
	case t.state == wallet.TransferPending:
		t.state = to
		if accept {
			r.m.bal[t.recipient] += t.amount
		} else {
			r.m.bal[t.sender] += t.amount
		}
	case t.state != to:
		want = "wallet.transfer_" + t.state
	}
	r.logf("%s by %s of %s (%s→%s %d, expires %s)", label, mname(actor), t.id, mname(t.sender), mname(t.recipient), t.amount, t.expires.Format("01-02 15:04:05"))
	got, err := settle(actor, t.id)
	if r.expect(label, err, want) && (got.ID != t.id || got.State != to || got.Amount != t.amount) {
		r.failf("%s returned %s, the model expects state %s", label, transferString(got), to)
	}
}

func (r *modelRun) opClock() {
	var d time.Duration
	switch x := r.rng.IntN(100); {
	case x < 55:
		d = time.Duration(r.between(60, 2*3600)) * time.Second
	case x < 85:
		d = time.Duration(r.between(2*3600, 12*3600)) * time.Second
	default:
		d = time.Duration(r.between(12*3600, 30*3600)) * time.Second
	}
	if r.pct(15) {
		// Exactly to the expiry of a pending item: due at that instant.
		var due []time.Time
		for _, t := range r.m.transfers {
			if t.state == wallet.TransferPending && t.expires.After(r.m.now) {
				due = append(due, t.expires)
			}
		}
		for _, p := range r.m.packets {
			if p.state == wallet.PacketOpen && p.expires.After(r.m.now) {
				due = append(due, p.expires)
			}
		}
		for _, p := range r.m.pins {
			if p != nil && p.locked(r.m.now) {
				due = append(due, p.lockedUntil) // a PIN lock ends at that instant
			}
		}
		due = append(due, r.m.now.Truncate(24*time.Hour).Add(24*time.Hour)) // the daily limit starts again
		if len(due) > 0 {
			d = pick(r, due).Sub(r.m.now)
			r.logf("to an expiry:")
			r.stats.ends["event: clock set to exactly an expiry"]++
		}
	}
	r.wd.advance(d)
	r.m.now = r.m.now.Add(d)
	if !r.w.Now().Equal(r.m.now) {
		r.failf("wallet clock %v, model %v", r.w.Now(), r.m.now)
	}
	r.logf("+%v", d)
	if r.pct(30) {
		return // no sweep: late accepts and claims meet the expired items
	}
	want := 0
	for _, t := range r.m.transfers {
		if t.state == wallet.TransferPending && r.m.expired(t.expires) {
			r.m.refundTransfer(t)
			r.stats.ends["event: transfer refunded by the sweep"]++
			want++
		}
	}
	for _, p := range r.m.packets {
		if p.state == wallet.PacketOpen && r.m.expired(p.expires) {
			r.m.expirePacket(p)
			r.stats.ends["event: red packet expired by the sweep"]++
			want++
		}
	}
	n, err := r.w.Sweep()
	r.logf("sweep %d (model %d)", n, want)
	if r.expect("Sweep", err, "") && n != want {
		r.failf("Sweep settled %d items, the model expects %d", n, want)
	}
}

func packetString(p wallet.Packet) string {
	return fmt.Sprintf("packet %s by %s in %s card %s: %s %d×%d claimed %d/%d refunded %d %q target %q seed %q commitment %q %s expires %s",
		p.ID, p.Sender, p.Conversation, p.Message, p.Kind, p.Total, p.Count, p.ClaimedCount, p.ClaimedTotal, p.Refunded, p.Greeting,
		p.Target, p.Seed, p.Commitment, p.State, p.Expires.UTC().Format(time.RFC3339Nano))
}

func (r *modelRun) opPacket() {
	sender := r.rich()
	s := r.s
	var c *mChat
	if gs := r.mw.groupsOf[sender]; len(gs) > 0 && r.pct(75) {
		c = pick(r, gs)
	} else {
		c = pick(r, r.mw.directsOf[sender])
	}
	n := len(c.members)
	in := wallet.PacketInput{Conversation: c.id, Greeting: r.text(), Count: 1, Kind: pick(r, []string{wallet.PacketLucky, wallet.PacketNormal})}
	if !c.direct {
		in.Kind = pick(r, []string{wallet.PacketLucky, wallet.PacketLucky, wallet.PacketNormal, wallet.PacketNormal, wallet.PacketExclusive})
		if r.pct(70) {
			in.Count = int(r.between(1, int64(min(n, 8))))
		} else {
			in.Count = int(r.between(1, int64(n)))
		}
	}
	budget := min(s.PacketMax, r.m.bal[sender])
	over := budget < int64(in.Count) || r.pct(15)
	hi := budget
	if over {
		hi = s.PacketMax
	}
	switch in.Kind {
	case wallet.PacketLucky:
		in.Amount = r.between(int64(in.Count), max(hi, int64(in.Count)))
		if r.pct(20) {
			in.Target = r.mw.ids[r.member()] // ignored
		}
	case wallet.PacketNormal:
		in.Amount = r.between(1, max(hi/int64(in.Count), 1))
	case wallet.PacketExclusive:
		in.Count = int(r.between(0, 3)) // ignored: one share
		in.Amount = r.between(1, max(hi, 1))
		in.Target = r.mw.ids[pick(r, c.members[1:])]
		if sender != c.owner {
			in.Target = r.mw.ids[pick(r, c.members)]
			for in.Target == r.mw.ids[sender] {
				in.Target = r.mw.ids[pick(r, c.members)]
			}
		}
	}
	actor := sender
	switch x := r.rng.IntN(100); {
	case x < 2 && in.Kind != wallet.PacketExclusive:
		in.Count = 0
	case x < 4 && !c.direct && in.Kind != wallet.PacketExclusive:
		in.Count = n + 1
		in.Amount = int64(n + 1)
		if in.Kind == wallet.PacketNormal {
			in.Amount = 1
		}
	case x < 6:
		in.Amount = s.PacketMax + r.between(1, 500)
	case x < 7 && in.Kind == wallet.PacketLucky:
		in.Amount = int64(in.Count - 1)
	case x < 8 && c.direct:
		if r.pct(50) {
			in.Count = 2
		} else {
			in.Kind, in.Target = wallet.PacketExclusive, r.mw.ids[c.other(sender)]
		}
	case x < 9 && in.Kind == wallet.PacketExclusive:
		if r.pct(50) {
			in.Target = r.mw.ids[sender]
		} else {
			in.Target = r.mw.ids[r.outside(c)]
		}
	case x < 11:
		actor = r.outside(c)
	case x < 13:
		in.Amount = s.PacketMax // exactly the most a packet may hold
		if in.Kind == wallet.PacketNormal {
			in.Amount = s.PacketMax / int64(in.Count)
		}
	case x < 15 && !c.direct && in.Kind != wallet.PacketExclusive:
		in.Count = n // a share for everyone
		in.Amount = max(in.Amount, int64(n))
		if in.Kind == wallet.PacketNormal {
			in.Amount = r.between(1, max(s.PacketMax/int64(n), 1))
		}
	case x < 17 && in.Kind != wallet.PacketNormal:
		in.Amount = max(min(r.m.bal[sender], s.PacketMax), int64(in.Count)) // all of it
	case x < 19:
		in.Greeting = strings.Repeat("福", wallet.NoteMax+int(r.between(0, 1)))
	}
	count, total := in.Count, in.Amount
	switch in.Kind {
	case wallet.PacketNormal:
		total = in.Amount * int64(in.Count)
	case wallet.PacketExclusive:
		count = 1
	}
	target := -1
	if in.Kind == wallet.PacketExclusive {
		if i, ok := r.mw.index[in.Target]; ok {
			target = i
		}
	}
	key := r.key(actor)
	want := ""
	switch {
	case count < 1 || count > split.MaxCount:
		want = "wallet.packet_count"
	case in.Amount <= 0 || in.Amount > wallet.MaxAmount || total < int64(count):
		want = "wallet.packet_min_share"
	case total > s.PacketMax:
		want = "wallet.packet_max"
	case utf8.RuneCountInString(strings.TrimSpace(in.Greeting)) > wallet.NoteMax:
		want = "profile.too_long"
	case badKey(key):
		want = "wallet.bad_key"
	case r.gateRefuses(actor, &want):
	case !c.in[actor]:
		want = "wallet.not_found"
	case c.direct && (count != 1 || in.Kind == wallet.PacketExclusive):
		want = "wallet.packet_direct"
	case !c.direct && count > n:
		want = "wallet.packet_count_group"
	case in.Kind == wallet.PacketExclusive && (target < 0 || !c.in[target] || target == actor):
		want = "wallet.packet_target"
	case total > r.m.bal[actor]:
		want = "wallet.insufficient"
	}
	if !r.pinGate(actor) {
		return
	}
	r.logf("%s sends a %s packet of %d (%d×) in %s, target %v (key %s)", mname(actor), in.Kind, total, count, c.name, target, key)
	p, err := r.w.SendPacket(r.mw.ids[actor], key, in, r.payPIN(r.mw.ids[actor]))
	ok := r.expect("SendPacket "+in.Kind, err, want)
	if ok {
		mp := &mPacket{id: p.ID, sender: actor, chat: c, kind: in.Kind, total: total, count: count, target: -1,
			expires: r.m.now.Add(wallet.PacketTTL), state: wallet.PacketOpen}
		wantTarget := ""
		switch in.Kind {
		case wallet.PacketNormal:
			mp.per = in.Amount
		case wallet.PacketExclusive:
			mp.target, wantTarget = target, in.Target
		}
		if p.Sender != r.mw.ids[actor] || p.Conversation != c.id || p.Kind != in.Kind || p.Total != total || p.Count != count ||
			p.State != wallet.PacketOpen || p.Seed != "" || p.Target != wantTarget || !p.Expires.Equal(mp.expires) ||
			p.Message == "" || (len(p.Commitment) == 64) != (in.Kind == wallet.PacketLucky) || p.ClaimedCount != 0 {
			r.failf("sent %s, the model expects %s %d×%d target %q", packetString(p), in.Kind, total, count, wantTarget)
		}
		r.logf("id %s", p.ID)
		r.m.bal[actor] -= total
		r.m.packets = append(r.m.packets, mp)
	}
	id := r.mw.ids[actor]
	r.keyed(actor, key, "packet", ok, packetString(p),
		func() (string, error) {
			p, err := r.w.SendPacket(id, key, in, r.payPIN(id))
			return packetString(p), err
		},
		func() error {
			other := in
			other.Greeting = otherText(in.Greeting)
			_, err := r.w.SendPacket(id, key, other, r.payPIN(id))
			return err
		})
}

func (r *modelRun) opClaim() {
	if len(r.m.packets) == 0 || r.pct(2) {
		m := r.member()
		r.logf("%s claims an unknown packet", mname(m))
		_, err := r.w.ClaimPacket(r.mw.ids[m], "nosuchpacket123")
		r.expect("ClaimPacket (unknown id)", err, "wallet.not_found")
		return
	}
	var open []*mPacket
	for _, p := range r.m.packets {
		if p.state == wallet.PacketOpen {
			open = append(open, p)
		}
	}
	p := pick(r, r.m.packets)
	if len(open) > 0 && r.pct(75) {
		p = pick(r, open)
	}
	c := p.chat
	var fresh []int
	for _, m := range c.members {
		if _, done := p.claimOf(m); !done && m != p.sender {
			fresh = append(fresh, m)
		}
	}
	m := pick(r, c.members)
	switch x := r.rng.IntN(100); {
	case x < 60:
		if len(fresh) > 0 {
			m = pick(r, fresh)
		}
		if p.target >= 0 && r.pct(60) {
			m = p.target
		}
	case x < 75:
		if len(p.claims) > 0 {
			m = pick(r, p.claims).member
		}
	case x < 83:
		m = r.outside(c)
	case x < 90:
		m = p.sender
	}
	pos, again := p.claimOf(m)
	want := ""
	switch {
	case !c.in[m]:
		want = "wallet.not_found"
	case again:
	case c.direct && m == p.sender:
		want = "wallet.packet_own"
	case p.kind == wallet.PacketExclusive && m != p.target:
		want = "wallet.packet_not_yours"
	case p.state == wallet.PacketOpen && r.m.expired(p.expires):
		r.m.expirePacket(p) // expired on the spot, as the sweep would
		r.stats.ends["event: red packet expired by a late claim"]++
		want = "wallet.packet_expired"
	case p.state == wallet.PacketExpired:
		want = "wallet.packet_expired"
	case p.state == wallet.PacketFinished:
		want = "wallet.packet_empty"
	}
	r.logf("%s claims %s (%s %d×%d by %s in %s, %s, %d claimed)", mname(m), p.id, p.kind, p.total, p.count, mname(p.sender), c.name, p.state, len(p.claims))
	cl, err := r.w.ClaimPacket(r.mw.ids[m], p.id)
	if !r.expect("ClaimPacket", err, want) {
		return
	}
	r.logf("got %d at %d", cl.Amount, cl.Position)
	if cl.Member != r.mw.ids[m] {
		r.failf("claim of %s: %+v", mname(m), cl)
	}
	if again {
		if cl.Position != pos || cl.Amount != p.claims[pos].amount {
			r.failf("claiming again returned %d at %d, the first claim was %d at %d", cl.Amount, cl.Position, p.claims[pos].amount, pos)
		}
		return
	}
	left, rest := p.count-len(p.claims), p.total-p.claimedTotal
	fair := false
	switch p.kind {
	case wallet.PacketNormal:
		fair = cl.Amount == p.per
	case wallet.PacketExclusive:
		fair = cl.Amount == p.total
	case wallet.PacketLucky:
		if left == 1 {
			fair = cl.Amount == rest
		} else {
			fair = cl.Amount >= 1 && cl.Amount <= min(2*(rest/int64(left)), rest-int64(left-1))
		}
	}
	if !fair || cl.Position != len(p.claims) {
		r.failf("claim %d at %d of a %s packet with %d left in %d shares (position %d expected)", cl.Amount, cl.Position, p.kind, rest, left, len(p.claims))
	}
	p.claims = append(p.claims, mClaim{member: m, amount: cl.Amount})
	p.claimedTotal += cl.Amount
	r.m.bal[m] += cl.Amount
	if len(p.claims) == p.count {
		p.state = wallet.PacketFinished
	}
	if p.state == wallet.PacketOpen && r.pct(10) {
		v, err := r.w.PacketFor(r.mw.ids[m], p.id)
		if err != nil || v.Seed != "" || v.Mine == nil || v.Mine.Amount != cl.Amount || len(v.Claims) != len(p.claims) {
			r.failf("PacketFor an open packet: %+v %v", v, err)
		}
	}
}

func receiptString(rc wallet.Receipt) string { return fmt.Sprintf("%+v", rc) }

func (r *modelRun) opPay() {
	var l *mLink
	if len(r.m.links) > 0 && r.pct(35) {
		l = pick(r, r.m.links)
	} else {
		l = &mLink{payee: r.member()}
		if r.pct(50) {
			l.fixed = r.between(1, 20_000)
		}
		l.epoch = r.m.epoch[l.payee]
		var err error
		l.raw, err = r.w.CollectLink(r.mw.ids[l.payee], l.fixed)
		r.logf("code of %s for %d", mname(l.payee), l.fixed)
		if !r.expect("CollectLink", err, "") {
			return
		}
		r.m.links = append(r.m.links, l)
		if len(r.m.links) > 40 {
			r.m.links = r.m.links[1:]
		}
	}
	if r.pct(2) {
		r.logf("tampered code %s", l.raw+"0")
		_, err := r.w.ParseCollect(l.raw + "0")
		r.stats.call("ParseCollect (tampered)", errKey(err))
		if !strings.HasPrefix(errKey(err), "scan.") {
			r.failf("a tampered collect code: %v", err)
		}
		return
	}
	want := ""
	if l.epoch != r.m.epoch[l.payee] {
		want = "scan.revoked"
	}
	r.logf("scan %s's code (%d, epoch %d)", mname(l.payee), l.fixed, l.epoch)
	c, err := r.w.ParseCollect(l.raw)
	if !r.expect("ParseCollect", err, want) {
		return
	}
	if c.Payee == nil || c.Payee.Id != r.mw.ids[l.payee] || c.Amount != l.fixed {
		r.failf("collect code of %s for %d parsed as %+v", mname(l.payee), l.fixed, c)
	}
	payer := l.payee
	if r.pct(95) {
		for payer == l.payee {
			payer = r.rich()
		}
	}
	bal := r.m.bal[payer]
	var form int64
	switch x := r.rng.IntN(100); {
	case x < 70 && bal > 0:
		form = r.between(1, bal)
	case x < 78 && bal > 0:
		form = bal // all of it
	case x < 95:
		form = r.between(bal+1, bal+5_000)
	default:
		form = -r.between(0, 5)
	}
	memo := r.text()
	if r.pct(4) {
		memo = strings.Repeat("x", wallet.NoteMax+int(r.between(0, 1)))
	}
	amount := form
	if l.fixed > 0 {
		amount = l.fixed
	}
	key := r.key(payer)
	want = ""
	switch {
	case payer == l.payee:
		want = "wallet.pay_self"
	case amount <= 0 || amount > wallet.MaxAmount:
		want = "wallet.amount_bad"
	case utf8.RuneCountInString(strings.TrimSpace(memo)) > wallet.NoteMax:
		want = "profile.too_long"
	case badKey(key):
		want = "wallet.bad_key"
	case r.gateRefuses(payer, &want):
	case amount > bal:
		want = "wallet.insufficient"
	}
	if !r.pinGate(payer) {
		return
	}
	r.logf("%s pays %d (form %d) memo %q (key %s)", mname(payer), amount, form, memo, key)
	rc, err := r.w.Pay(r.mw.ids[payer], key, c, form, memo, r.payPIN(r.mw.ids[payer]))
	ok := r.expect("Pay", err, want)
	if ok {
		if rc.Payer != r.mw.ids[payer] || rc.Payee != r.mw.ids[l.payee] || rc.Amount != amount || rc.Memo != strings.TrimSpace(memo) || rc.Entry == "" {
			r.failf("receipt %+v, the model expects %s→%s %d", rc, mname(payer), mname(l.payee), amount)
		}
		r.m.bal[payer] -= amount
		r.m.bal[l.payee] += amount
	}
	id := r.mw.ids[payer]
	r.keyed(payer, key, "pay", ok, receiptString(rc),
		func() (string, error) {
			rc, err := r.w.Pay(id, key, c, form, memo, r.payPIN(id))
			return receiptString(rc), err
		},
		func() error { _, err := r.w.Pay(id, key, c, form, otherText(memo), r.payPIN(id)); return err })
}

func (r *modelRun) opResetCollect() {
	m := r.member()
	if len(r.m.links) > 0 && r.pct(80) {
		m = pick(r, r.m.links).payee // voids codes the model holds
	}
	r.logf("%s resets the collect code", mname(m))
	if r.expect("ResetCollect", r.w.ResetCollect(r.mw.ids[m]), "") {
		r.m.epoch[m]++
	}
}

func aaString(a wallet.AA) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AA %s in %s by %s %q card %s:", a.ID, a.Conversation, a.Organiser, a.Title, a.Message)
	for _, s := range a.Shares {
		fmt.Fprintf(&b, " %s/%s/%d/%q", s.ID, s.Member, s.Amount, s.Entry)
	}
	return b.String()
}

func (r *modelRun) opStartAA() {
	org := r.member()
	var c *mChat
	if gs := r.mw.groupsOf[org]; len(gs) > 0 {
		c = pick(r, gs)
	} else {
		c = pick(r, r.mw.groups)
		org = pick(r, c.members)
	}
	in := wallet.AAInput{Conversation: c.id, Title: "Dinner " + fmt.Sprint(r.step), Each: r.between(1, 5_000)}
	chosen := map[int]bool{}
	for range r.between(1, int64(min(len(c.members), 10))) {
		m := pick(r, c.members)
		chosen[m] = true
		in.Members = append(in.Members, r.mw.ids[m])
	}
	actor := org
	switch x := r.rng.IntN(100); {
	case x < 3:
		in.Title = "   "
	case x < 6:
		in.Each = 0
	case x < 9:
		in.Members, chosen = []string{r.mw.ids[org]}, map[int]bool{org: true}
	case x < 12:
		o := r.outside(c)
		in.Members, chosen[o] = append(in.Members, r.mw.ids[o]), true
	case x < 15:
		actor = r.outside(c)
	case x < 17:
		in.Conversation = pick(r, r.mw.directsOf[org]).id
	}
	delete(chosen, actor)
	var shares []int
	notIn := false
	for m := range chosen {
		shares = append(shares, m)
		notIn = notIn || !c.in[m]
	}
	sort.Slice(shares, func(i, j int) bool { return r.mw.ids[shares[i]] < r.mw.ids[shares[j]] })
	if r.pct(3) {
		in.Title = strings.Repeat("饭", wallet.NoteMax+int(r.between(0, 1)))
	}
	key := r.key(actor)
	want := ""
	switch {
	case strings.TrimSpace(in.Title) == "" || utf8.RuneCountInString(in.Title) > wallet.NoteMax:
		want = "wallet.aa_title"
	case in.Each <= 0:
		want = "wallet.amount_bad"
	case len(shares) == 0:
		want = "wallet.aa_members"
	case badKey(key):
		want = "wallet.bad_key"
	case in.Conversation != c.id || !c.in[actor]:
		want = "wallet.not_found"
	case notIn:
		want = "wallet.aa_members"
	}
	r.logf("%s asks %d members for %d in %s (key %s)", mname(actor), len(shares), in.Each, c.name, key)
	a, err := r.w.StartAA(r.mw.ids[actor], key, in)
	ok := r.expect("StartAA", err, want)
	if ok {
		ma := &mAA{id: a.ID, chat: c, organiser: actor, each: in.Each, shares: map[int]bool{}, order: shares}
		bad := a.Organiser != r.mw.ids[actor] || a.Conversation != c.id || a.Message == "" || len(a.Shares) != len(shares)
		for i, s := range a.Shares {
			bad = bad || s.Member != r.mw.ids[shares[i]] || s.Amount != in.Each || s.Paid()
			ma.shares[shares[i]] = false
		}
		if bad {
			r.failf("started %s, the model expects shares of %d for %v", aaString(a), in.Each, shares)
		}
		r.m.aas = append(r.m.aas, ma)
	}
	id := r.mw.ids[actor]
	r.keyed(actor, key, "aa", ok, aaString(a),
		func() (string, error) { a, err := r.w.StartAA(id, key, in); return aaString(a), err },
		func() error {
			other := in
			other.Title = otherText(in.Title)
			_, err := r.w.StartAA(id, key, other)
			return err
		})
}

func shareString(s wallet.AAShare) string {
	return fmt.Sprintf("share %s of %s: %d paid by %q", s.ID, s.Member, s.Amount, s.Entry)
}

func (r *modelRun) opPayAA() {
	if len(r.m.aas) == 0 || r.pct(3) {
		m := r.member()
		r.logf("%s pays an unknown AA", mname(m))
		want := ""
		if !r.gateRefuses(m, &want) {
			want = "wallet.not_found"
		}
		_, err := r.w.PayAA(r.mw.ids[m], r.wd.key(), "nosuchaarequest", r.payPIN(r.mw.ids[m]))
		r.expect("PayAA (unknown id)", err, want)
		return
	}
	a := pick(r, r.m.aas)
	var unpaid, paid []int
	for _, m := range a.order {
		if a.shares[m] {
			paid = append(paid, m)
		} else {
			unpaid = append(unpaid, m)
		}
	}
	m := pick(r, a.order)
	switch x := r.rng.IntN(100); {
	case x < 70 && len(unpaid) > 0:
		m = pick(r, unpaid)
	case x < 80 && len(paid) > 0:
		m = pick(r, paid)
	case x < 90:
		m = a.organiser
	case x < 95:
		m = r.outside(a.chat)
	}
	isPaid, hasShare := a.shares[m]
	key := r.key(m)
	want := ""
	switch {
	case badKey(key):
		want = "wallet.bad_key"
	case r.gateRefuses(m, &want):
	case !hasShare:
		want = "wallet.not_found"
	case isPaid:
		want = "wallet.aa_paid"
	case a.each > r.m.bal[m]:
		want = "wallet.insufficient"
	}
	if !r.pinGate(m) {
		return
	}
	r.logf("%s pays %d to %s for AA %s (key %s)", mname(m), a.each, mname(a.organiser), a.id, key)
	sh, err := r.w.PayAA(r.mw.ids[m], key, a.id, r.payPIN(r.mw.ids[m]))
	ok := r.expect("PayAA", err, want)
	if ok {
		if sh.Member != r.mw.ids[m] || sh.Amount != a.each || !sh.Paid() {
			r.failf("paid %s, the model expects %s paying %d", shareString(sh), mname(m), a.each)
		}
		a.shares[m] = true
		r.m.bal[m] -= a.each
		r.m.bal[a.organiser] += a.each
	}
	id, aaID := r.mw.ids[m], a.id
	r.keyed(m, key, "aa_pay", ok, shareString(sh),
		func() (string, error) { sh, err := r.w.PayAA(id, key, aaID, r.payPIN(id)); return shareString(sh), err },
		func() error { _, err := r.w.PayAA(id, key, "nosuchaarequest", r.payPIN(id)); return err })
}

func (r *modelRun) opWithdraw() {
	m := r.rich()
	bal := r.m.bal[m]
	amount := r.between(bal+1, bal+1_000)
	if bal > 0 && r.pct(80) {
		amount = r.between(1, bal)
	}
	details := "IBAN XX00 " + fmt.Sprint(r.step)
	key := r.key(m)
	want := ""
	switch x := r.rng.IntN(100); {
	case x < 4:
		amount, want = 0, "wallet.amount_bad"
	case x < 7:
		details, want = " ", "wallet.withdraw_details"
	case badKey(key):
		want = "wallet.bad_key"
	case r.gateRefuses(m, &want):
	case x < 15 && bal > 0:
		amount = bal // all of it
	default:
		if amount > bal {
			want = "wallet.insufficient"
		}
	}
	if !r.pinGate(m) {
		return
	}
	r.logf("%s withdraws %d (key %s)", mname(m), amount, key)
	id, err := r.w.RequestWithdrawal(r.mw.ids[m], key, amount, details, r.payPIN(r.mw.ids[m]))
	ok := r.expect("RequestWithdrawal", err, want)
	if ok {
		r.m.bal[m] -= amount
		r.m.withdrawals = append(r.m.withdrawals, &mWithdrawal{id: id, member: m, amount: amount, state: wallet.WithdrawalPending})
	}
	mid := r.mw.ids[m]
	r.keyed(m, key, "withdraw", ok, id,
		func() (string, error) { return r.w.RequestWithdrawal(mid, key, amount, details, r.payPIN(mid)) },
		func() error {
			_, err := r.w.RequestWithdrawal(mid, key, amount, otherText(details), r.payPIN(mid))
			return err
		})
}

func (r *modelRun) opSettleWithdrawal() {
	if len(r.m.withdrawals) == 0 {
		r.logf("no withdrawals")
		return
	}
	var pending []*mWithdrawal
	for _, w := range r.m.withdrawals {
		if w.state == wallet.WithdrawalPending {
			pending = append(pending, w)
		}
	}
	w := pick(r, r.m.withdrawals)
	if len(pending) > 0 && r.pct(80) {
		w = pick(r, pending)
	}
	to := pick(r, []string{wallet.WithdrawalPaid, wallet.WithdrawalRejected})
	want := ""
	switch {
	case w.state == to: // the admin's note only
	case w.state != wallet.WithdrawalPending:
		want = "wallet.withdrawal_settled"
	default:
		w.state = to
		if to == wallet.WithdrawalPaid {
			r.m.paidOut += w.amount
		} else {
			r.m.bal[w.member] += w.amount
		}
	}
	r.logf("superuser sets withdrawal %s of %s (%d, %s) to %s", w.id, mname(w.member), w.amount, w.state, to)
	rec, err := r.app.FindRecordById(wallet.WithdrawalsCollection, w.id)
	if err != nil {
		r.failf("load withdrawal: %v", err)
	}
	rec.Set("state", to)
	rec.Set("admin_note", "step "+fmt.Sprint(r.step))
	r.expect("settle withdrawal", r.app.Save(rec), want)
}

func (r *modelRun) opRetry() {
	if len(r.m.requests) == 0 {
		r.logf("nothing to retry")
		return
	}
	q := pick(r, r.m.requests)
	switch x := r.rng.IntN(100); {
	case x < 70:
		r.logf("%s repeats %s with key %s", mname(q.member), q.op, q.key)
		got, err := q.replay()
		if r.expect("retry "+q.op+" (same request)", err, "") && got != q.want {
			r.failf("the retry returned\n  %s\nthe first answer was\n  %s", got, q.want)
		}
	case x < 93:
		r.logf("%s reuses key %s for another %s", mname(q.member), q.key, q.op)
		r.expect("retry "+q.op+" (other input)", q.differ(), "wallet.key_reused")
	default:
		r.logf("%s reuses key %s of a %s for a voucher", mname(q.member), q.key, q.op)
		_, err := r.w.RedeemVoucher(r.mw.ids[q.member], q.key, fmt.Sprintf("NOPE-%d-%d", r.seed, r.step))
		r.expect("retry "+q.op+" (as a voucher)", err, "wallet.key_reused")
	}
}

func (r *modelRun) randomPIN() string { return fmt.Sprintf("%06d", r.rng.IntN(1_000_000)) }

func (r *modelRun) opPIN() {
	m := r.member()
	var with []int
	for i, p := range r.m.pins {
		if p != nil {
			with = append(with, i)
		}
	}
	if len(with) > 0 && r.pct(70) {
		m = pick(r, with)
	}
	id := r.mw.ids[m]
	p := r.m.pins[m]
	if p == nil {
		switch x := r.rng.IntN(100); {
		case x < 80:
			pin := r.randomPIN()
			r.logf("%s sets PIN %s", mname(m), pin)
			if r.expect("SetPIN", r.w.SetPIN(id, pin), "") {
				r.m.pins[m] = &mPIN{pin: pin}
			}
		case x < 90:
			r.logf("%s sets a malformed PIN", mname(m))
			r.expect("SetPIN", r.w.SetPIN(id, "12a456"), "wallet.pin_format")
		default:
			r.logf("%s checks a PIN without one", mname(m))
			r.checkPIN(m, r.randomPIN(), "CheckPIN")
		}
		return
	}
	wrong := func() string {
		if r.pct(10) {
			return pick(r, []string{"", "12345", "1234567", "abcdef"})
		}
		for {
			if pin := r.randomPIN(); pin != p.pin {
				return pin
			}
		}
	}
	switch x := r.rng.IntN(100); {
	case x < 40:
		r.logf("%s tries a wrong PIN (%d failures, locked until %s)", mname(m), p.failures, p.lockedUntil.Format("01-02 15:04"))
		r.checkPIN(m, wrong(), "CheckPIN (wrong)")
	case x < 55:
		r.logf("%s tries wrong PINs until locked", mname(m))
		for range wallet.PINTries {
			if r.checkPIN(m, wrong(), "CheckPIN (wrong)"); p.locked(r.m.now) {
				break
			}
		}
	case x < 78:
		r.logf("%s enters the right PIN (%d failures, locked until %s)", mname(m), p.failures, p.lockedUntil.Format("01-02 15:04"))
		r.checkPIN(m, p.pin, "CheckPIN (right)")
	case x < 85:
		r.logf("%s sets a PIN again", mname(m))
		r.expect("SetPIN", r.w.SetPIN(id, r.randomPIN()), "wallet.pin_exists")
	case x < 98:
		old, next := p.pin, r.randomPIN()
		if r.pct(40) {
			old = wrong()
		}
		r.logf("%s changes the PIN with the old one %s → %s", mname(m), old, next)
		// ChangePIN checks the old PIN exactly as CheckPIN does.
		want := ""
		switch {
		case old == "": // no old PIN: the password path, and no password
			want = "wallet.password_wrong"
		case p.locked(r.m.now):
			want = "wallet.pin_locked"
		case old == p.pin:
		default:
			p.failures++
			want = "wallet.pin_wrong"
			if p.failures >= wallet.PINTries {
				p.lockedUntil, p.failures, want = r.m.now.Add(wallet.PINLock), 0, "wallet.pin_locked"
				r.stats.ends["event: PIN locked by the 5th wrong try"]++
			}
		}
		if r.expect("ChangePIN (old PIN)", r.w.ChangePIN(id, old, "", next), want) {
			p.pin, p.failures, p.lockedUntil = next, 0, time.Time{}
		}
	default:
		// The login password proves the member and lifts a lock (a bcrypt
		// check at PocketBase's cost: rare).
		next := r.randomPIN()
		if r.pct(30) {
			r.logf("%s changes the PIN with a wrong password", mname(m))
			r.expect("ChangePIN (password)", r.w.ChangePIN(id, "", "not-the-password", next), "wallet.password_wrong")
			return
		}
		r.logf("%s changes the PIN with the password → %s", mname(m), next)
		if r.expect("ChangePIN (password)", r.w.ChangePIN(id, "", testapp.DefaultPassword, next), "") {
			p.pin, p.failures, p.lockedUntil = next, 0, time.Time{}
		}
	}
}

// ---- the checks after every step ----

func (r *modelRun) rows(sql string, dest any) {
	r.t.Helper()
	if err := r.app.DB().NewQuery(sql).All(dest); err != nil {
		r.failf("%s: %v", sql, err)
	}
}

func (r *modelRun) check(verify, all bool) {
	r.t.Helper()
	m := r.m
	dbTime := "2006-01-02 15:04:05.000Z"

	// Every member's balance. wallet.Balance reads one member's cached
	// balance (one query each); calling it 52 times a step took a third
	// of the run, so every step reads all members' cached balances in one
	// query and calls wallet.Balance itself for each member whose balance
	// the step changed (and for everyone at the end of a seed).
	var rows []struct {
		Owner   string `db:"owner"`
		Balance int64  `db:"balance"`
	}
	r.rows(`SELECT owner, balance FROM wallet_accounts WHERE kind = 'member'`, &rows)
	cached := make(map[string]int64, len(rows))
	for _, row := range rows {
		cached[row.Owner] = row.Balance
	}
	var sum int64
	for i, id := range r.mw.ids {
		if b := cached[id]; b != m.bal[i] {
			r.failf("balance of %s is %d, the model says %d", mname(i), b, m.bal[i])
		}
		if all || m.bal[i] != r.before[i] {
			b, err := wallet.Balance(r.app, id)
			if err != nil {
				r.failf("balance of %s: %v", mname(i), err)
			}
			if b != m.bal[i] {
				r.failf("wallet.Balance of %s is %d, the model says %d", mname(i), b, m.bal[i])
			}
		}
		if m.bal[i] < 0 {
			r.failf("the model's balance of %s is %d", mname(i), m.bal[i])
		}
		sum += m.bal[i]
	}
	copy(r.before, m.bal)
	// Conservation: members + escrow = issued − paid out.
	escrow := m.escrow()
	if sum+escrow != m.minted-m.paidOut {
		r.failf("model: members %d + escrow %d != issued %d − paid out %d", sum, escrow, m.minted, m.paidOut)
	}
	var kinds []struct {
		Kind  string `db:"kind"`
		Total int64  `db:"total"`
		Low   int64  `db:"low"`
	}
	r.rows(`SELECT kind, SUM(balance) AS total, MIN(balance) AS low FROM wallet_accounts GROUP BY kind`, &kinds)
	want := map[string]int64{wallet.AccountMember: sum, wallet.AccountEscrow: escrow, wallet.AccountTreasury: -(m.minted - m.paidOut)}
	for _, k := range kinds {
		if k.Total != want[k.Kind] {
			r.failf("%s accounts hold %d, the model says %d", k.Kind, k.Total, want[k.Kind])
		}
		if k.Low < 0 && k.Kind != wallet.AccountTreasury {
			r.failf("a %s account is at %d", k.Kind, k.Low)
		}
	}

	// Every item's state.
	var transfers []struct {
		ID     string `db:"id"`
		State  string `db:"state"`
		Amount int64  `db:"amount"`
	}
	r.rows(`SELECT id, state, amount FROM wallet_transfers`, &transfers)
	if len(transfers) != len(m.transfers) {
		r.failf("%d transfers, the model has %d", len(transfers), len(m.transfers))
	}
	for _, t := range transfers {
		mt := m.transferByID[t.ID]
		if mt == nil || mt.state != t.State || mt.amount != t.Amount {
			r.failf("transfer %s is %s (%d), the model has %+v", t.ID, t.State, t.Amount, mt)
		}
	}
	var packets []struct {
		ID           string `db:"id"`
		State        string `db:"state"`
		Count        int    `db:"claimed_count"`
		ClaimedTotal int64  `db:"claimed_total"`
		Refunded     int64  `db:"refunded"`
	}
	r.rows(`SELECT id, state, claimed_count, claimed_total, refunded FROM red_packets ORDER BY rowid`, &packets)
	if len(packets) != len(m.packets) {
		r.failf("%d red packets, the model has %d", len(packets), len(m.packets))
	}
	for i, p := range packets {
		mp := m.packets[i]
		if p.ID != mp.id || p.State != mp.state || p.Count != len(mp.claims) || p.ClaimedTotal != mp.claimedTotal || p.Refunded != mp.refunded {
			r.failf("red packet %s is %s with %d claims of %d, refunded %d; the model has %s with %d claims of %d, refunded %d",
				p.ID, p.State, p.Count, p.ClaimedTotal, p.Refunded, mp.state, len(mp.claims), mp.claimedTotal, mp.refunded)
		}
	}
	var vouchers []struct {
		Code string `db:"code"`
		By   string `db:"redeemed_by"`
	}
	r.rows(`SELECT code, redeemed_by FROM wallet_vouchers ORDER BY rowid`, &vouchers)
	if len(vouchers) != len(m.vouchers) {
		r.failf("%d vouchers, the model has %d", len(vouchers), len(m.vouchers))
	}
	for i, v := range vouchers {
		mv := m.vouchers[i]
		by := ""
		if mv.redeemedBy >= 0 {
			by = r.mw.ids[mv.redeemedBy]
		}
		if v.Code != mv.code || v.By != by {
			r.failf("voucher %s redeemed by %q, the model has %s by %q", v.Code, v.By, mv.code, by)
		}
	}
	var shares []struct {
		Request string `db:"request"`
		Member  string `db:"member"`
		Entry   string `db:"entry"`
	}
	r.rows(`SELECT request, member, entry FROM aa_shares`, &shares)
	n := 0
	aas := map[string]*mAA{}
	for _, a := range m.aas {
		aas[a.id] = a
		n += len(a.shares)
	}
	if len(shares) != n {
		r.failf("%d AA shares, the model has %d", len(shares), n)
	}
	for _, s := range shares {
		a := aas[s.Request]
		if a == nil {
			r.failf("AA share of an unknown request %s", s.Request)
		}
		paid, ok := a.shares[r.mw.index[s.Member]]
		if !ok || paid != (s.Entry != "") {
			r.failf("AA %s share of %s paid by %q, the model says %v (%v)", s.Request, s.Member, s.Entry, paid, ok)
		}
	}
	var withdrawals []struct {
		ID    string `db:"id"`
		State string `db:"state"`
	}
	r.rows(`SELECT id, state FROM wallet_withdrawals ORDER BY rowid`, &withdrawals)
	if len(withdrawals) != len(m.withdrawals) {
		r.failf("%d withdrawals, the model has %d", len(withdrawals), len(m.withdrawals))
	}
	for i, w := range withdrawals {
		if w.ID != m.withdrawals[i].id || w.State != m.withdrawals[i].state {
			r.failf("withdrawal %s is %s, the model has %+v", w.ID, w.State, *m.withdrawals[i])
		}
	}
	var pins []struct {
		Member   string `db:"member"`
		Failures int    `db:"failures"`
		Until    string `db:"locked_until"`
	}
	r.rows(`SELECT member, failures, locked_until FROM wallet_pins`, &pins)
	npins := 0
	for _, p := range m.pins {
		if p != nil {
			npins++
		}
	}
	if len(pins) != npins {
		r.failf("%d PINs, the model has %d", len(pins), npins)
	}
	for _, p := range pins {
		i := r.mw.index[p.Member]
		mp := m.pins[i]
		until := ""
		if mp != nil && !mp.lockedUntil.IsZero() {
			until = mp.lockedUntil.Format(dbTime)
		}
		if mp == nil || mp.failures != p.Failures || until != p.Until {
			r.failf("PIN of %s: %d failures, locked until %q; the model has %+v", mname(i), p.Failures, p.Until, mp)
		}
	}
	var keys int
	if err := r.app.DB().NewQuery(`SELECT COUNT(*) FROM wallet_requests`).Row(&keys); err != nil {
		r.failf("count keys: %v", err)
	}
	if keys != len(m.requests) {
		r.failf("%d idempotency keys recorded, the model has %d successful keyed requests", keys, len(m.requests))
	}

	// A closed lucky packet shows its seed: it must match the commitment
	// published at the start and give exactly the shares that were paid.
	for _, p := range m.packets {
		if p.state == wallet.PacketOpen || p.checked {
			continue
		}
		p.checked = true
		v, err := r.w.PacketFor(r.mw.ids[p.sender], p.id)
		if err != nil {
			r.failf("PacketFor %s: %v", p.id, err)
		}
		if len(v.Claims) != len(p.claims) {
			r.failf("packet %s shows %d claims, the model has %d", p.id, len(v.Claims), len(p.claims))
		}
		for i, c := range v.Claims {
			if c.Position != i || c.Member != r.mw.ids[p.claims[i].member] || c.Amount != p.claims[i].amount {
				r.failf("packet %s claim %d: %+v, the model has %s %d", p.id, i, c, mname(p.claims[i].member), p.claims[i].amount)
			}
		}
		luckiest, best := "", int64(0)
		if p.kind == wallet.PacketLucky && p.state == wallet.PacketFinished && p.count > 1 {
			for _, c := range p.claims {
				if c.amount > best {
					luckiest, best = r.mw.ids[c.member], c.amount
				}
			}
		}
		if v.Luckiest != luckiest || v.State != p.state || v.Refunded != p.refunded {
			r.failf("packet %s: %s, refunded %d, luckiest %q; the model has %s, %d, %q", p.id, v.State, v.Refunded, v.Luckiest, p.state, p.refunded, luckiest)
		}
		if p.kind != wallet.PacketLucky {
			continue
		}
		seed, err := hex.DecodeString(v.Seed)
		if err != nil || len(seed) == 0 || !split.Verify(seed, v.Commitment, p.total, p.count) {
			r.failf("packet %s (%s): seed %q does not match commitment %q", p.id, p.state, v.Seed, v.Commitment)
		}
		all, err := split.Lucky(seed, p.total, p.count)
		if err != nil {
			r.failf("split %s: %v", p.id, err)
		}
		for i, c := range p.claims {
			if all[i] != c.amount {
				r.failf("packet %s share %d paid %d, its seed says %d", p.id, i, c.amount, all[i])
			}
		}
	}

	if verify {
		t0 := time.Now()
		defer func() { r.stats.tVerify += time.Since(t0); r.stats.tChecks -= time.Since(t0) }()
		rep, err := wallet.Verify(r.app)
		if err != nil {
			r.failf("verify: %v", err)
		}
		if !rep.OK() {
			r.failf("verify:\n%s", rep)
		}
	}
}
