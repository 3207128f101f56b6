package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeRelease writes a dist directory as goreleaser would for version
// 1.2.3, changed by edit before the checksum file is written.
func fakeRelease(t *testing.T, edit func(dist string, arts *[]artifact)) (dist, manifest string) {
	t.Helper()
	dist = t.TempDir()
	manifest = filepath.Join(t.TempDir(), "terraform-registry-manifest.json")
	write(t, manifest, `{"version":1}`)
	v := "1.2.3"
	var arts []artifact
	for _, p := range platforms {
		exe := ""
		if strings.HasPrefix(p, "windows_") {
			exe = ".exe"
		}
		goos, goarch, _ := strings.Cut(p, "_")
		for _, z := range []struct{ id, name, bin string }{
			{"provider", fmt.Sprintf("%s_%s_%s.zip", project, v, p), fmt.Sprintf("%s_v%s%s", project, v, exe)},
			{"eni-mockcloud", fmt.Sprintf("eni-mockcloud_%s_%s.zip", v, p), "eni-mockcloud" + exe},
		} {
			path := filepath.Join(dist, z.name)
			writeZip(t, path, z.bin, "README.md")
			a := artifact{Name: z.name, Path: path, Goos: goos, Goarch: goarch, Type: "Archive"}
			a.Extra.ID = z.id
			arts = append(arts, a)
		}
	}
	if edit != nil {
		edit(dist, &arts)
	}
	var sums strings.Builder
	for _, a := range arts {
		if a.Extra.ID == "provider" {
			sum, err := fileSHA256(a.Path)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&sums, "%s  %s\n", sum, a.Name)
		}
	}
	msum, _ := fileSHA256(manifest)
	fmt.Fprintf(&sums, "%s  %s_%s_manifest.json\n", msum, project, v)
	write(t, filepath.Join(dist, project+"_"+v+"_SHA256SUMS"), sums.String())
	b, _ := json.Marshal(arts)
	write(t, filepath.Join(dist, "artifacts.json"), string(b))
	write(t, filepath.Join(dist, "metadata.json"), `{"version":"`+v+`"}`)
	return dist, manifest
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		edit func(dist string, arts *[]artifact)
		want string // substring of a problem; "" = none
	}{
		{"a good release", nil, ""},
		{"a platform missing", func(_ string, arts *[]artifact) {
			*arts = (*arts)[2:] // darwin_amd64, both archives
		}, "provider archives for"},
		{"the emulator inside the provider's zip", func(_ string, arts *[]artifact) {
			writeZip(t, (*arts)[0].Path, project+"_v1.2.3", "eni-mockcloud")
		}, "belongs in an archive of its own"},
		{"a wrongly named provider binary", func(_ string, arts *[]artifact) {
			writeZip(t, (*arts)[0].Path, project)
		}, "does not hold " + project + "_v1.2.3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dist, manifest := fakeRelease(t, tc.edit)
			problems, _, err := check(dist, manifest)
			if err != nil {
				t.Fatal(err)
			}
			assertProblem(t, problems, tc.want)
		})
	}
	t.Run("a zip changed after its sum was taken", func(t *testing.T) {
		dist, manifest := fakeRelease(t, nil)
		writeZip(t, filepath.Join(dist, fmt.Sprintf("%s_1.2.3_linux_amd64.zip", project)), project+"_v1.2.3", "LICENSE")
		problems, _, err := check(dist, manifest)
		if err != nil {
			t.Fatal(err)
		}
		assertProblem(t, problems, "checksum file lists "+project+"_1.2.3_linux_amd64.zip")
	})
	t.Run("no release at all", func(t *testing.T) {
		if _, _, err := check(t.TempDir(), "x"); err == nil || !strings.Contains(err.Error(), "run goreleaser first") {
			t.Errorf("err = %v, want one saying to run goreleaser", err)
		}
	})
}

func assertProblem(t *testing.T, problems []string, want string) {
	t.Helper()
	if want == "" {
		if len(problems) > 0 {
			t.Errorf("problems with a good release: %v", problems)
		}
		return
	}
	for _, p := range problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("problems %v, want one containing %q", problems, want)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeZip(t *testing.T, path string, names ...string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	for _, n := range names {
		fw, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte("content of " + n))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
