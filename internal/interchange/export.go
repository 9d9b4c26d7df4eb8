package interchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/isa-alliance/isa"
)

// ExportSummary counts what an export wrote.
type ExportSummary struct {
	Organisations int
	Listings      int
	// Skipped counts listings in states the format cannot express (draft,
	// in review, withdrawn): importing them would publish them.
	Skipped int
	Files   []string // files written by ExportFiles
}

func (s ExportSummary) String() string {
	return fmt.Sprintf("exported %d organisations, %d listings (%d drafts or withdrawn listings left out)", s.Organisations, s.Listings, s.Skipped)
}

// Column order of the CSV files; Import reads them back.
var (
	orgColumns = []string{"type", "ref", "name", "names_de", "names_zh", "names_en", "kind", "city", "size", "founded",
		"website", "email", "phone", "industries", "about_de", "about_zh", "about_en"}
	listingColumns = []string{"type", "ref", "org", "kind", "lang", "title", "description",
		"title_de", "description_de", "title_zh", "description_zh", "title_en", "description_en",
		"cooperation", "industries", "keywords", "published", "expires"}
)

// pageSize is the store's largest page.
const pageSize = 500

// orgOut is an organisation in the field order of the format.
type orgOut struct {
	Type       string   `json:"type"`
	Ref        string   `json:"ref"`
	Name       string   `json:"name"`
	Names      isa.Text `json:"names,omitempty"`
	Kind       string   `json:"kind"`
	City       string   `json:"city"`
	Size       string   `json:"size,omitempty"`
	Founded    int      `json:"founded,omitempty"`
	Website    string   `json:"website,omitempty"`
	Email      string   `json:"email,omitempty"`
	Phone      string   `json:"phone,omitempty"`
	Industries []string `json:"industries,omitempty"`
	About      isa.Text `json:"about,omitempty"`
}

// listingOut is a listing in the field order of the format.
type listingOut struct {
	Type         string                       `json:"type"`
	Ref          string                       `json:"ref"`
	Org          string                       `json:"org"`
	Kind         string                       `json:"kind"`
	Lang         string                       `json:"lang"`
	Title        string                       `json:"title"`
	Description  string                       `json:"description"`
	Translations map[isa.Lang]isa.Translation `json:"translations,omitempty"`
	Cooperation  []string                     `json:"cooperation,omitempty"`
	Industries   []string                     `json:"industries,omitempty"`
	Keywords     []string                     `json:"keywords,omitempty"`
	Published    string                       `json:"published,omitempty"`
	Expires      string                       `json:"expires,omitempty"`
}

// exportable tells whether a listing's state survives an import: imported
// listings are published or, past their expiry, expired.
func exportable(l *isa.Listing) bool {
	return l.State == isa.Published || l.State == isa.Expired
}

// Export writes every organisation, then every exportable listing, to w as
// JSON Lines, all read from one snapshot of the database when the store
// offers it (isa.Snapshotter), so that writers that go on meanwhile do not
// make the file inconsistent. The output holds personal data: the contact e-mail addresses
// and phone numbers of organisations (it is a backup). CSV needs two files:
// use ExportCSV or ExportFiles.
func Export(ctx context.Context, st isa.Store, w io.Writer, format Format) (ExportSummary, error) {
	if format != JSONL {
		return ExportSummary{}, isa.Invalid("format", "%q needs two files: use ExportCSV or ExportFiles", format)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	// Keep & < > readable: the output is for people and other systems,
	// not for embedding in HTML.
	enc.SetEscapeHTML(false)
	var sum ExportSummary
	err := consistently(ctx, st, func(st isa.Store) error {
		err := eachOrg(ctx, st, func(o orgOut) error {
			sum.Organisations++
			return enc.Encode(o)
		})
		if err != nil {
			return err
		}
		return eachListing(ctx, st, &sum, func(l listingOut) error {
			sum.Listings++
			return enc.Encode(l)
		})
	})
	if err != nil {
		return sum, err
	}
	if err := bw.Flush(); err != nil {
		return sum, fmt.Errorf("interchange: export: %w", err)
	}
	return sum, nil
}

// ExportCSV writes organisations and listings as two CSV files: UTF-8 with a
// byte order mark and CRLF line ends, which is what Excel needs to show
// Chinese and German text correctly. Like Export, it reads one snapshot
// when the store offers it, and the output holds personal data.
func ExportCSV(ctx context.Context, st isa.Store, orgs, listings io.Writer) (ExportSummary, error) {
	var sum ExportSummary
	err := consistently(ctx, st, func(st isa.Store) error {
		ow, err := newCSVWriter(orgs, orgColumns)
		if err != nil {
			return err
		}
		err = eachOrg(ctx, st, func(o orgOut) error {
			sum.Organisations++
			return ow.Write([]string{o.Type, o.Ref, o.Name, o.Names[isa.DE], o.Names[isa.ZH], o.Names[isa.EN], o.Kind, o.City, o.Size,
				yearText(o.Founded), o.Website, o.Email, o.Phone, strings.Join(o.Industries, ";"),
				o.About[isa.DE], o.About[isa.ZH], o.About[isa.EN]})
		})
		if err != nil {
			return err
		}
		if err := flushCSV(ow); err != nil {
			return err
		}
		lw, err := newCSVWriter(listings, listingColumns)
		if err != nil {
			return err
		}
		err = eachListing(ctx, st, &sum, func(l listingOut) error {
			sum.Listings++
			row := []string{l.Type, l.Ref, l.Org, l.Kind, l.Lang, l.Title, l.Description}
			for _, lang := range isa.Langs {
				t := l.Translations[lang]
				row = append(row, t.Title, t.Description)
			}
			row = append(row, strings.Join(l.Cooperation, ";"), strings.Join(l.Industries, ";"), strings.Join(l.Keywords, ";"), l.Published, l.Expires)
			return lw.Write(row)
		})
		if err != nil {
			return err
		}
		return flushCSV(lw)
	})
	return sum, err
}

// consistently runs fn on one read snapshot of st when st offers one, so
// that an export of a busy database is the database of one moment: without
// it, an organisation created after its page was read could be missing
// while its listing, read later, is in the file, and the file would not
// import again (the round trip of the format). Writers are not held up
// meanwhile. A store without snapshots (a test double) is read as it is.
func consistently(ctx context.Context, st isa.Store, fn func(isa.Store) error) error {
	sn, ok := st.(isa.Snapshotter)
	if !ok {
		return fn(st)
	}
	var fnErr error
	err := sn.ReadSnapshot(ctx, func(snap isa.Store) error {
		fnErr = fn(snap)
		return fnErr
	})
	if err != nil && err != fnErr {
		// The snapshot itself failed (to begin or to end); fn's own
		// errors already say where they come from.
		return fmt.Errorf("interchange: export: %w", err)
	}
	return err
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func newCSVWriter(w io.Writer, header []string) (*csv.Writer, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, fmt.Errorf("interchange: export: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return nil, fmt.Errorf("interchange: export: %w", err)
	}
	return cw, nil
}

func flushCSV(cw *csv.Writer) error {
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("interchange: export: %w", err)
	}
	return nil
}

// CSVPaths returns the two files a CSV export to out writes: for a
// directory (existing, or named with a trailing slash) dir/organisations.csv
// and dir/listings.csv, for base.csv base-organisations.csv and
// base-listings.csv.
func CSVPaths(out string) (orgs, listings string) {
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return filepath.Join(out, "organisations.csv"), filepath.Join(out, "listings.csv")
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return filepath.Join(out, "organisations.csv"), filepath.Join(out, "listings.csv")
	}
	base := strings.TrimSuffix(out, filepath.Ext(out))
	return base + "-organisations.csv", base + "-listings.csv"
}

// ExportFiles is what `isa export --out OUT` calls. JSON Lines go to the
// file out; CSV goes to the two files CSVPaths names, a directory named with
// a trailing slash being created. Each file is written under a temporary
// name and renamed when complete, so that an interrupted export never
// leaves a file that looks like a whole backup.
func ExportFiles(ctx context.Context, st isa.Store, out string, format Format) (ExportSummary, error) {
	if fi, err := os.Stat(out); format == "" && (strings.HasSuffix(out, "/") || err == nil && fi.IsDir()) {
		format = CSV
	}
	if format == "" {
		f, ok := FormatOf(out)
		if !ok {
			return ExportSummary{}, isa.Invalid("format", "cannot tell the format from %q: name a .jsonl or .csv file", out)
		}
		format = f
	}
	switch format {
	case JSONL:
		var sum ExportSummary
		err := writeAtomically(out, func(w io.Writer) error {
			var err error
			sum, err = Export(ctx, st, w, JSONL)
			return err
		})
		if err == nil {
			sum.Files = []string{out}
		}
		return sum, err
	case CSV:
		if strings.HasSuffix(out, "/") {
			if err := os.MkdirAll(out, 0o755); err != nil {
				return ExportSummary{}, fmt.Errorf("interchange: export: %w", err)
			}
		}
		orgPath, listingPath := CSVPaths(out)
		var sum ExportSummary
		err := writeAtomically(orgPath, func(ow io.Writer) error {
			return writeAtomically(listingPath, func(lw io.Writer) error {
				var err error
				sum, err = ExportCSV(ctx, st, ow, lw)
				return err
			})
		})
		if err == nil {
			sum.Files = []string{orgPath, listingPath}
		}
		return sum, err
	}
	return ExportSummary{}, isa.Invalid("format", "unknown format %q: use jsonl or csv", format)
}

// writeAtomically writes path through a temporary file in the same
// directory, renamed over path only when fn succeeded. The file is created
// readable by its owner only: it holds personal data.
func writeAtomically(path string, fn func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("interchange: export: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := fn(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("interchange: export: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("interchange: export: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("interchange: export: %w", err)
	}
	return nil
}

// eachOrg pages through all organisations with their general contact.
func eachOrg(ctx context.Context, st isa.Store, fn func(orgOut) error) error {
	f := isa.OrgFilter{Limit: pageSize}
	for {
		page, err := st.Organisations(ctx, f)
		if err != nil {
			return fmt.Errorf("interchange: export organisations: %w", err)
		}
		for i := range page.Items {
			o := &page.Items[i]
			contacts, err := st.Contacts(ctx, o.ID)
			if err != nil {
				return fmt.Errorf("interchange: export contacts: %w", err)
			}
			email, phone := generalContact(contacts)
			out := orgOut{Type: typeOrganisation, Ref: o.Ref, Name: o.Name, Names: o.Names, Kind: string(o.Kind), City: o.City,
				Size: string(o.Size), Founded: o.Founded, Website: o.Website, Email: email, Phone: phone,
				Industries: o.Industries, About: o.About}
			if err := fn(out); err != nil {
				return fmt.Errorf("interchange: export: %w", err)
			}
		}
		if page.Next == "" {
			return nil
		}
		f.After = page.Next
	}
}

// generalContact picks the e-mail address and phone number the format has
// room for: those of the unnamed general contact first (what an import
// creates), else the first contact that has one.
func generalContact(cs []isa.ContactPerson) (email, phone string) {
	sorted := slices.Clone(cs)
	slices.SortStableFunc(sorted, func(a, b isa.ContactPerson) int {
		return boolRank(a.Name != "") - boolRank(b.Name != "")
	})
	for _, c := range sorted {
		if email == "" {
			email = c.Email
		}
		if phone == "" {
			phone = c.Phone
		}
	}
	return email, phone
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func eachListing(ctx context.Context, st isa.Store, sum *ExportSummary, fn func(listingOut) error) error {
	f := isa.ListingFilter{Limit: pageSize}
	for {
		page, err := st.Listings(ctx, f)
		if err != nil {
			return fmt.Errorf("interchange: export listings: %w", err)
		}
		for i := range page.Items {
			l := &page.Items[i]
			if !exportable(l) {
				sum.Skipped++
				continue
			}
			out := listingOut{Type: typeListing, Ref: l.Ref, Org: l.Org, Kind: string(l.Kind), Lang: string(l.Lang),
				Title: l.Title, Description: l.Description, Translations: l.Translations, Cooperation: l.Cooperation,
				Industries: l.Industries, Keywords: l.Keywords, Published: string(l.Published), Expires: string(l.Expires)}
			if err := fn(out); err != nil {
				return fmt.Errorf("interchange: export: %w", err)
			}
		}
		if page.Next == "" {
			return nil
		}
		f.After = page.Next
	}
}
