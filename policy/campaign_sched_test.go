package policy_test

import (
	"context"
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// The campaign's scheduler runs its actors — rotators applying targets,
// several at once — one at a time, and switches between them only where an
// actor is about to change something: a Snowflake statement that adds,
// rotates, modifies or removes a token, or a store write. Which actor goes
// next and what fault strikes the change it is about to make are drawn from
// the run's seeded source, so a run is a function of its seed alone and
// replays exactly, while still exploring the interleavings that matter
// (one rotator's mint between another's observation and its store write).
// Reads are not switch points; an actor reads while every other actor is
// parked, so what it reads is determined too, and faults on reads are drawn
// from a hash of the seed and the read, not from the shared source.
type sched struct {
	rng   *rand.Rand
	seed  uint64
	back  chan *actor
	check func(where string) // runs at every switch, every actor parked
	// fault is how likely a change is to meet a fault in this pass.
	fault float64
	// pause, when set, is how likely a rotator is to be paused before a
	// change — a long garbage collection, a partition — while its lease
	// runs out; pauseFor moves the clock past the lease.
	pause    float64
	pauseFor func()
	stats    *campaignStats
}

// verdict is what happens to the change an actor is about to make.
type verdict int

const (
	proceed     verdict = iota
	failBefore          // refused: nothing changed
	loseAfter           // done, but the answer is lost
	crashBefore         // the actor dies before making it
	crashAfter          // the actor dies right after making it
)

var verdictNames = [...]string{"proceed", "fail-before", "lose-after", "crash-before", "crash-after"}

type actor struct {
	id     int
	wake   chan verdict
	op     string // the change it is parked at; "" before its first turn
	done   bool
	dead   atomic.Bool
	cancel context.CancelFunc
	onKill func()
	paused bool // stalled at its change while others act

	mu    sync.Mutex // its concurrent reads
	reads map[string]int
}

type actorKey struct{}

func actorOf(ctx context.Context) *actor {
	a, _ := ctx.Value(actorKey{}).(*actor)
	return a
}

// errCrashed is what a dead actor's calls return.
var errCrashed = errors.New("campaign: the rotator crashed")

func (a *actor) kill() {
	a.dead.Store(true)
	a.cancel()
	if a.onKill != nil {
		a.onKill()
	}
}

// run starts one actor per body and runs them to the end; onKill[i], if
// any, is what actor i's crash also takes down.
func (s *sched) run(bodies []func(ctx context.Context), onKill ...func()) {
	actors := make([]*actor, len(bodies))
	for i, body := range bodies {
		a := &actor{id: i, wake: make(chan verdict), reads: map[string]int{}}
		if i < len(onKill) {
			a.onKill = onKill[i]
		}
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), actorKey{}, a))
		a.cancel = cancel
		actors[i] = a
		go func() {
			<-a.wake
			body(ctx)
			a.done = true
			cancel()
			s.back <- a
		}()
	}
	for {
		var ready []*actor
		for _, a := range actors {
			if !a.done {
				ready = append(ready, a)
			}
		}
		if len(ready) == 0 {
			return
		}
		a := ready[s.rng.IntN(len(ready))]
		if a.op != "" && s.pause > 0 && s.pauseFor != nil && !a.paused && s.rng.Float64() < s.pause {
			// The actor stalls right before its change, past its lease;
			// the others act meanwhile, and it resumes with the change it
			// had checked its lock for.
			s.stats.fault("pause-past-the-lease")
			s.pauseFor()
			a.paused = true
			if len(ready) > 1 {
				continue
			}
		}
		v := proceed
		if a.op != "" {
			v = s.verdict()
		}
		a.paused = false
		a.wake <- v
		<-s.back
		if s.check != nil {
			s.check(a.op)
		}
	}
}

func (s *sched) verdict() verdict {
	if s.rng.Float64() >= s.fault {
		return proceed
	}
	v := verdict(1 + s.rng.IntN(len(verdictNames)-1))
	s.stats.fault("write-" + verdictNames[v])
	return v
}

// point parks the actor at a change it is about to make, and returns what
// happens to it.
func (s *sched) point(a *actor, op string) verdict {
	a.op = op
	s.back <- a
	return <-a.wake
}

// readFault decides, from the seed and the read alone, whether a read of
// kind on key by actor a fails: the nth such read of that actor fails or
// not whatever the order of its concurrent reads.
func (s *sched) readFault(a *actor, kind, key string, p float64) bool {
	if p <= 0 {
		return false
	}
	k := kind + "\x00" + key
	a.mu.Lock()
	a.reads[k]++
	n := a.reads[k]
	a.mu.Unlock()
	h := fnv.New64a()
	var b [8]byte
	for i := range 8 {
		b[i] = byte(s.seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte{byte(a.id), byte(n)})
	h.Write([]byte(k))
	if float64(h.Sum64()%10000)/10000 < p {
		s.stats.fault("read-" + kind)
		return true
	}
	return false
}
