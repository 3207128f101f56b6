// Command releasecheck checks what `goreleaser release --snapshot` left in
// dist/ against what the Terraform Registry needs from a release (make
// release-check runs it after goreleaser): one zip per platform named
// terraform-provider-eni_<version>_<os>_<arch>.zip holding the binary
// terraform-provider-eni_v<version> (.exe on Windows), every platform the
// provider is published for, a SHA256SUMS file whose sums match the zips
// and the registry manifest, and the emulator's own zips beside them for
// the same platforms, never inside the provider's.
//
// Usage: go run ./scripts/releasecheck [-dist dist] [-manifest terraform-registry-manifest.json]
package main

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const project = "terraform-provider-eni"

// platforms are the ones the provider is published for: .goreleaser.yml's
// goos x goarch less its ignore list. Listed here again on purpose, so
// that a platform dropped from the configuration by mistake fails the
// check instead of vanishing from the next release.
var platforms = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

// artifact is the part of an entry of dist/artifacts.json checked here.
type artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Goos   string `json:"goos"`
	Goarch string `json:"goarch"`
	Type   string `json:"type"`
	Extra  struct {
		ID string `json:"ID"`
	} `json:"extra"`
}

func main() {
	dist := flag.String("dist", "dist", "goreleaser's output directory")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest the release must carry")
	flag.Parse()
	problems, summary, err := check(*dist, *manifest)
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "releasecheck:", p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "releasecheck: %d problem(s) with the release in %s\n", len(problems), *dist)
		os.Exit(1)
	}
	fmt.Println("releasecheck:", summary)
}

// check returns the problems found with the release in dist; err is for a
// dist that cannot be read at all.
func check(dist, manifestPath string) (problems []string, summary string, err error) {
	var meta struct {
		Version string `json:"version"`
	}
	if err := readJSON(filepath.Join(dist, "metadata.json"), &meta); err != nil {
		return nil, "", err
	}
	var arts []artifact
	if err := readJSON(filepath.Join(dist, "artifacts.json"), &arts); err != nil {
		return nil, "", err
	}
	v := meta.Version
	problemf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	zips := map[string]map[string]artifact{} // archive ID -> platform -> archive
	for _, a := range arts {
		if a.Type != "Archive" {
			continue
		}
		if zips[a.Extra.ID] == nil {
			zips[a.Extra.ID] = map[string]artifact{}
		}
		zips[a.Extra.ID][a.Goos+"_"+a.Goarch] = a
	}
	for _, id := range []string{"provider", "eni-mockcloud"} {
		got := mapKeys(zips[id])
		if !slices.Equal(got, platforms) {
			problemf("%s archives for %v, want %v", id, got, platforms)
		}
	}
	for platform, a := range zips["provider"] {
		want := fmt.Sprintf("%s_%s_%s.zip", project, v, platform)
		if a.Name != want {
			problemf("provider archive %s: the Registry needs the name %s", a.Name, want)
		}
		bin := fmt.Sprintf("%s_v%s", project, v)
		if strings.HasPrefix(platform, "windows_") {
			bin += ".exe"
		}
		problems = append(problems, zipHolds(a.Path, bin, "eni-mockcloud")...)
	}
	for platform, a := range zips["eni-mockcloud"] {
		bin := "eni-mockcloud"
		if strings.HasPrefix(platform, "windows_") {
			bin += ".exe"
		}
		problems = append(problems, zipHolds(a.Path, bin, project)...)
	}

	sums, err := readSums(filepath.Join(dist, fmt.Sprintf("%s_%s_SHA256SUMS", project, v)))
	if err != nil {
		problemf("%v", err)
	}
	if sums != nil {
		for _, a := range zips["provider"] {
			if p := sumMatches(sums, a.Name, a.Path); p != "" {
				problemf("%s", p)
			}
		}
		if p := sumMatches(sums, fmt.Sprintf("%s_%s_manifest.json", project, v), manifestPath); p != "" {
			problemf("%s", p)
		}
	}
	summary = fmt.Sprintf("version %s: %d provider and %d eni-mockcloud zips for %d platforms, SHA256SUMS covers the "+
		"provider zips and the registry manifest", v, len(zips["provider"]), len(zips["eni-mockcloud"]), len(platforms))
	return problems, summary, nil
}

// zipHolds checks that the zip at path holds the file want, at its top
// level, and no file named like notWanted (another program's binary).
func zipHolds(path, want, notWanted string) []string {
	r, err := zip.OpenReader(path)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	defer func() { _ = r.Close() }()
	var problems []string
	found := false
	for _, f := range r.File {
		switch {
		case f.Name == want:
			found = true
		case strings.HasPrefix(f.Name, notWanted):
			problems = append(problems, fmt.Sprintf("%s holds %s, which belongs in an archive of its own", path, f.Name))
		}
	}
	if !found {
		problems = append(problems, fmt.Sprintf("%s does not hold %s at its top level", path, want))
	}
	return problems
}

// readSums reads a SHA256SUMS file: "<hex>  <name>" per line.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("the checksum file: %w", err)
	}
	defer func() { _ = f.Close() }()
	sums := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		sum, name, ok := strings.Cut(s.Text(), "  ")
		if !ok {
			return nil, fmt.Errorf("%s: malformed line %q", path, s.Text())
		}
		sums[name] = sum
	}
	return sums, s.Err()
}

// sumMatches reports a problem unless sums lists name with the SHA-256 of
// the file at path.
func sumMatches(sums map[string]string, name, path string) string {
	want, ok := sums[name]
	if !ok {
		return "the checksum file does not list " + name
	}
	got, err := fileSHA256(path)
	if err != nil {
		return err.Error()
	}
	if got != want {
		return fmt.Sprintf("the checksum file lists %s as %s, but %s has %s", name, want, path, got)
	}
	return ""
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s is missing: run goreleaser first (make release-check does)", path)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
