package isa

import "context"

// ListingAnalysis is the search analysis of one listing as the search
// index keeps it in the database, so that starting an index does not
// analyse every text again. The store keeps Data without reading it.
type ListingAnalysis struct {
	ListingID int64
	// Fingerprint names the analyser that made the analysis; an analysis
	// made by another one is stale.
	Fingerprint string
	// InputHash is a hash of the listing fields the analysis read; an
	// analysis of other fields is stale.
	InputHash string
	Data      []byte
}

// AnalysisStore keeps the stored search analyses of listings. They are a
// cache: losing one costs time, never a wrong result, so callers treat a
// failed write as a warning. A listing's analysis goes when the listing
// goes.
type AnalysisStore interface {
	// ListingAnalyses returns the analyses made by the analyser with the
	// fingerprint of the listings with the ids, in no particular order;
	// a listing without one is left out.
	ListingAnalyses(ctx context.Context, fingerprint string, listingIDs []int64) ([]ListingAnalysis, error)
	// PutListingAnalyses stores analyses, replacing those stored for the
	// same listings. Analyses of listings that do not exist (any more) are
	// skipped.
	PutListingAnalyses(ctx context.Context, as []ListingAnalysis) error
}
