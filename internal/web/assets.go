package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFiles embed.FS

// assetPrefix is where the assets are served.
const assetPrefix = "/static/"

// asset is one embedded file, known by a name that carries its checksum.
type asset struct {
	data        []byte
	contentType string
}

// assets serves the embedded static files at names like app.3f2a9c1d.css.
// A new build with a changed file gets a new name, so browsers may keep
// every file for a year without ever seeing a stale one.
type assets struct {
	byName map[string]asset  // hashed name -> file
	urls   map[string]string // plain name ("app.css") -> URL
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byName[hashed] = asset{data: data, contentType: ct}
		a.urls[name] = assetPrefix + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return a, nil
}

func (a *assets) serve(rw http.ResponseWriter, r *http.Request) {
	f, ok := a.byName[r.PathValue("name")]
	if !ok {
		http.NotFound(rw, r)
		return
	}
	rw.Header().Set("Content-Type", f.contentType)
	rw.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	// ServeContent answers HEAD and Range; the zero modification time keeps
	// it from sending Last-Modified, which the checksum name makes useless.
	http.ServeContent(rw, r, "", time.Time{}, bytes.NewReader(f.data))
}
