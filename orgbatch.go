package isa

import "context"

// OrgUpsert is one organisation for OrganisationBatcher, with the contacts
// UpsertOrganisation would take beside it (nil keeps the stored ones).
type OrgUpsert struct {
	Org      *Organisation
	Contacts []ContactPerson
}

// OrganisationBatcher is implemented by stores (and the transactions InTx
// hands out) that upsert many organisations, their industries and their
// contact persons with a few statements: bulk imports use it when it is
// offered and fall back to UpsertOrganisation otherwise.
type OrganisationBatcher interface {
	// UpsertOrganisations does what UpsertOrganisation does for each
	// organisation in turn: a later entry with the same ref wins.
	// outcomes[i] and errs[i] belong to os[i]: a record the store refuses
	// (Invalid, or NotFound with field "city") leaves the others alone and
	// fails no statement, so the transaction stays usable; err reports a
	// failure of the whole call.
	UpsertOrganisations(ctx context.Context, os []OrgUpsert) (outcomes []Outcome, errs []error, err error)
}
