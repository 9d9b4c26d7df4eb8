package httpapi

// Routes returns the patterns Register mounts, for the authorisation test
// that checks every route of the server against the rules of package
// authz.
func (a *API) Routes() []string {
	out := make([]string, 0, len(a.routes)+1)
	for _, rt := range a.routes {
		out = append(out, rt.pattern())
	}
	return append(out, Prefix+"/")
}
