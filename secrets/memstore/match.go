package memstore

import "fmt"

// Op names an operation of a memory store, as a fault or a count selects
// it. Each Store method that reaches the store is one Op call.
type Op string

// The operations.
const (
	// OpGet is a read of one version: Store.Current, ByStage, ByID.
	OpGet Op = "Get"
	// OpStages is Store.Stages: one call that reads all three stages.
	OpStages Op = "Stages"
	// OpList is Store.List.
	OpList Op = "List"
	// OpPut is Store.Put and Store.PutIf: a write of a current version.
	OpPut Op = "Put"
	// OpPutPending is Store.PutPending and Store.PutPendingIf.
	OpPutPending Op = "PutPending"
	// OpPromote is Store.Promote and Store.PromoteIf.
	OpPromote Op = "Promote"
	// OpRetire is Store.Retire.
	OpRetire Op = "Retire"
	// OpDestroy is Store.Destroy.
	OpDestroy Op = "Destroy"
	// OpDelete is Store.Delete.
	OpDelete Op = "Delete"
)

var knownOps = map[Op]bool{
	OpGet: true, OpStages: true, OpList: true, OpPut: true, OpPutPending: true,
	OpPromote: true, OpRetire: true, OpDestroy: true, OpDelete: true,
}

// Always, as Match.Times, applies a fault to every matching call until it
// is removed.
const Always = -1

// Match selects the calls a fault applies to, or the calls Faults.Calls
// counts.
type Match struct {
	// Op is the operation; "" matches every operation.
	Op Op
	// Store is the name the Store was opened with (OpenStore's name, ""
	// for NewStore); "" matches every store.
	Store string
	// Times is how many matching calls the fault applies to: the next one
	// when 0 or 1, the next n, or Always. Calls ignores it.
	Times int
}

// check panics on a Match no call can satisfy as meant: an unknown Op
// (a typo would otherwise arm a fault that never fires and a test that
// passes for the wrong reason) or a negative Times other than Always.
func (m Match) check(method string) {
	if m.Op != "" && !knownOps[m.Op] {
		panic(fmt.Sprintf("memstore: %s: unknown Op %q", method, m.Op))
	}
	if m.Times < Always {
		panic(fmt.Sprintf("memstore: %s: Times %d: want Always, 0 or more", method, m.Times))
	}
}

func (m Match) matches(store string, op Op) bool {
	return (m.Op == "" || m.Op == op) && (m.Store == "" || m.Store == store)
}
