package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/listings"
)

// The organisation's own profile: description in three languages, web
// site, size, founding year, industries and the contact persons that
// accepted partners see. The rules are package listings'.

// contactRows is how many contact persons the form offers.
const contactRows = 3

// orgForm is the data of the profile form.
type orgForm struct {
	Org        *isa.Organisation
	In         listings.OrgInput
	Industries string
	Contacts   []listings.ContactInput // always contactRows rows
	Errors     map[string]string
	Summary    []fieldMessage
	Saved      bool
	Sizes      []isa.SizeClass
	Langs      []isa.Lang
}

// Err returns the message of field name.
func (f *orgForm) Err(name string) string { return f.Errors[name] }

// About returns the description in l as typed.
func (f *orgForm) About(l isa.Lang) string { return f.In.About[l] }

// Field names the field of contact row i.
func (f *orgForm) Field(i int, name string) string { return "contacts." + strconv.Itoa(i) + "." + name }

// ID is the id of field name's input.
func (f *orgForm) ID(name string) string { return fieldID(name) }

func (w *Web) editableOrg(r *http.Request) (*isa.Organisation, error) {
	who := accounts.SubjectOf(r)
	if !who.SignedIn() {
		return nil, authz.Can(who, authz.EditOrg, authz.Object{})
	}
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	o, err := w.store.Organisation(ctx, r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	if err := authz.Can(who, authz.EditOrg, authz.Object{Org: o.Ref, City: o.City}); err != nil {
		return nil, err
	}
	return o, nil
}

func (w *Web) orgFormView(l isa.Lang, f *orgForm, status int) *view {
	return &view{name: "org_form", title: w.cat.Locale(l).T("orgedit.title"), nav: "post", status: status, data: f}
}

func (w *Web) editOrgPage(r *http.Request, l isa.Lang) (*view, error) {
	o, err := w.editableOrg(r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	// Personal data, shown only to the organisation's own members.
	cs, err := w.store.Contacts(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	f := &orgForm{Org: o, Errors: map[string]string{}, Sizes: isa.SizeClasses, Langs: isa.Langs, Saved: r.URL.Query().Get("saved") != ""}
	f.In = listings.OrgInput{About: o.About, Size: o.Size, Founded: o.Founded, Website: o.Website, Industries: o.Industries}
	f.Industries = strings.Join(o.Industries, ", ")
	for _, c := range cs {
		f.Contacts = append(f.Contacts, listings.ContactInput{Name: c.Name, Role: c.Role, Email: c.Email, Phone: c.Phone, Langs: c.Langs})
	}
	for len(f.Contacts) < contactRows {
		f.Contacts = append(f.Contacts, listings.ContactInput{})
	}
	return w.orgFormView(l, f, 0), nil
}

func (w *Web) postEditOrg(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	o, err := w.editableOrg(r)
	if err != nil {
		return err
	}
	f := &orgForm{Org: o, Errors: map[string]string{}, Sizes: isa.SizeClasses, Langs: isa.Langs}
	f.In = listings.OrgInput{Size: isa.SizeClass(r.PostFormValue("size")), Website: r.PostFormValue("website"), About: isa.Text{}}
	if y := strings.TrimSpace(r.PostFormValue("founded")); y != "" {
		if f.In.Founded, err = strconv.Atoi(y); err != nil {
			f.In.Founded = -1 // not a year: the service says so next to the field
		}
	}
	for _, lang := range isa.Langs {
		if v := r.PostFormValue("about_" + string(lang)); v != "" {
			f.In.About[lang] = v
		}
	}
	f.Industries = r.PostFormValue("industries")
	f.In.Industries = splitList(f.Industries)
	for i := range contactRows {
		c := listings.ContactInput{}
		for name, dst := range map[string]*string{"name": &c.Name, "role": &c.Role, "email": &c.Email, "phone": &c.Phone} {
			*dst = r.PostFormValue(fmt.Sprintf("contacts.%d.%s", i, name))
		}
		f.Contacts = append(f.Contacts, c)
	}
	// Rows left empty are skipped by the service, which keeps the row
	// numbers in its messages.
	f.In.Contacts = f.Contacts
	_, err = w.posting.UpdateOrganisation(r.Context(), accounts.SubjectOf(r), o.Ref, f.In)
	if err != nil {
		es := listings.AsErrors(err)
		if es == nil {
			return err
		}
		for _, e := range es {
			field := e.Field
			msg := w.errorText(l, e)
			f.Errors[field] = msg
			f.Summary = append(f.Summary, fieldMessage{Field: field, ID: fieldID(field), Message: msg})
		}
		w.render(rw, r, l, w.orgFormView(l, f, http.StatusBadRequest))
		return nil
	}
	seeOther(rw, r, "/"+string(l)+"/organisations/"+url.PathEscape(o.Ref)+"/edit?saved=1")
	return nil
}
