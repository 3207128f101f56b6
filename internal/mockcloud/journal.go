package mockcloud

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"sync"
	"time"
)

// journal appends changes to the state file after its snapshot line:
// every mutating call the handlers ran and every nonce. Entries are
// appended in memory in the order they happened, under the locks that
// ordered them, and written by group commit: the first request to wait
// writes every entry appended so far in one write (and one fsync when a
// mutation is among them) while the others wait for it. So no request
// waits on the disk while holding the state lock, and under load one
// fsync serves many mutations.
type journal struct {
	mu       sync.Mutex
	cond     sync.Cond
	f        *os.File
	buf      []byte
	spare    []byte // the buffer of the last write, reused for the next
	sync     bool   // buf holds an entry that must reach the disk
	appended uint64 // sequence number of the last entry appended
	done     uint64 // ... of the last entry written (and synced if needed)
	flushing bool
	err      error // the first write error; every later wait returns it
	size     int64 // bytes appended since the snapshot
}

func newJournal(f *os.File) *journal {
	j := &journal{f: f}
	j.cond.L = &j.mu
	return j
}

// append queues one entry; durable entries (mutations) are fsynced before
// their wait returns, the others (nonces) only written, which is enough
// for any restart of the process. It returns the entry's sequence number.
func (j *journal) append(entry []byte, durable bool) uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.buf = append(j.buf, entry...)
	j.buf = append(j.buf, '\n')
	j.size += int64(len(entry) + 1)
	j.sync = j.sync || durable
	j.appended++
	return j.appended
}

// wait returns once entry seq is on disk. The first waiter to find no
// write in progress writes everything appended so far.
func (j *journal) wait(seq uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.done < seq && j.err == nil {
		if j.flushing {
			j.cond.Wait()
			continue
		}
		j.flushing = true
		buf, durable, upto, f := j.buf, j.sync, j.appended, j.f
		j.buf, j.sync = j.spare[:0], false
		j.mu.Unlock()
		_, err := f.Write(buf)
		if err == nil && durable {
			err = f.Sync()
		}
		j.mu.Lock()
		j.spare = buf
		j.flushing = false
		if err != nil && j.err == nil {
			j.err = err
		}
		if upto > j.done {
			j.done = upto
		}
		j.cond.Broadcast()
	}
	return j.err
}

// restart points the journal at a new file that already holds a snapshot
// of everything appended so far: the queued entries are dropped (the
// snapshot has them) and their waiters released. Callers hold the state
// and nonce locks, so nothing is appended meanwhile.
func (j *journal) restart(f *os.File) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.flushing {
		j.cond.Wait()
	}
	old := j.f
	j.f, j.buf, j.sync, j.size = f, j.buf[:0], false, 0
	j.done = j.appended
	j.cond.Broadcast()
	if old != nil {
		_ = old.Close()
	}
}

// bytesSinceSnapshot is what compaction would fold away.
func (j *journal) bytesSinceSnapshot() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size
}

func (j *journal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.flushing {
		j.cond.Wait()
	}
	if j.f == nil {
		return nil
	}
	_, err := j.f.Write(j.buf)
	j.buf = nil
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	j.f = nil
	if j.err == nil {
		j.err = os.ErrClosed
	}
	return err
}

// journalEntry is one line after the snapshot. A mutation has Action; a
// forced settle has Settle; a nonce has Nonce. Time and Delay are what the
// handler saw, so replaying the entry does exactly what the call did.
type journalEntry struct {
	Time   time.Time     `json:"t,omitzero"`
	Delay  time.Duration `json:"d,omitempty"`
	Action string        `json:"a,omitempty"` // Version + "/" + Action
	Params params        `json:"p,omitempty"`
	Settle bool          `json:"settle,omitempty"`
	Nonce  string        `json:"n,omitempty"` // base64 of the nonce's hash
	Bucket int64         `json:"x,omitempty"` // its expiry minute
}

func entryForNonce(k nonceKey, bucket int64) []byte {
	b, _ := json.Marshal(journalEntry{Nonce: base64.RawStdEncoding.EncodeToString(k[:]), Bucket: bucket})
	return b
}

// entryForCall records a mutating call without its signature: the
// journal holds what the call changed, never a credential.
func entryForCall(a *action, p params, now time.Time, delay time.Duration) []byte {
	b, _ := json.Marshal(journalEntry{Time: now, Delay: delay, Action: a.Version + "/" + a.Name, Params: p.withoutSignature()})
	return b
}

func entryForSettle(now time.Time) []byte {
	b, _ := json.Marshal(journalEntry{Time: now, Settle: true})
	return b
}
