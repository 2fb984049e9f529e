package main

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeVersion is the version under which TestGoInstallFromOutsideTheModule
// serves the worktree.
const fakeVersion = "v1.999.0"

// TestGoInstallFromOutsideTheModule checks that
//
//	go install github.com/wampgo/wampgo/internal/cmd/wampgo@latest
//
// works for a user outside the module: a package under internal/ of a
// module may be installed, as long as it is a main package. The module is
// served from a local module proxy (GOPROXY=file://…) made of this
// worktree under fakeVersion; its dependencies come from the local module
// cache (listed as a second proxy), so the test needs no network. The
// installed command then runs a call against the test kit.
func TestGoInstallFromOutsideTheModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module again: not in -short mode")
	}
	root := moduleRoot(t)
	tmp := t.TempDir()
	proxy := filepath.Join(tmp, "proxy")
	writeModuleProxy(t, root, proxy)

	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	realCache := strings.TrimSpace(string(out))
	gobin, modcache, home := filepath.Join(tmp, "bin"), filepath.Join(tmp, "modcache"), filepath.Join(tmp, "home")
	for _, d := range []string{home} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"GOPROXY=file://" + filepath.ToSlash(proxy) + ",file://" + filepath.ToSlash(filepath.Join(realCache, "cache", "download")),
		// A module cache of its own: the fake version must not reach the
		// user's, where a later run would find a stale copy.
		"GOMODCACHE=" + modcache,
		"GOBIN=" + gobin,
		"GOSUMDB=off", "GONOSUMDB=*",
		// -trimpath: the build cache then serves the packages of a second run,
		// whatever the temporary paths.
		"GOFLAGS=-mod=mod -trimpath", "GOWORK=off", "GOTOOLCHAIN=local",
		"GO111MODULE=on", "GOPRIVATE=", "GONOPROXY=",
	}
	goCmd := func(args ...string) *exec.Cmd {
		cmd := exec.Command("go", args...)
		cmd.Dir = home // outside any module
		for _, kv := range os.Environ() {
			name, _, _ := strings.Cut(kv, "=")
			switch name {
			case "GOPROXY", "GOMODCACHE", "GOBIN", "GOSUMDB", "GONOSUMDB", "GOFLAGS", "GOWORK", "GOTOOLCHAIN",
				"GO111MODULE", "GOPRIVATE", "GONOPROXY", "GONOSUMCHECK":
			default:
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		return cmd
	}
	t.Cleanup(func() {
		// The module cache is read-only; go clean can remove it.
		goCmd("clean", "-modcache").Run()
	})
	install := goCmd("install", "github.com/wampgo/wampgo/internal/cmd/wampgo@latest")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	installed := filepath.Join(gobin, "wampgo")
	k := newKit(t)
	echo(t, k.r.Client(t, "realm1"), "com.test.echo")
	run := exec.Command(installed, "--url", k.rs, "call", "com.test.echo", "installed")
	run.WaitDelay = time.Second
	out, err = run.CombinedOutput()
	if err != nil || string(out) != `{"args":["installed"]}`+"\n" {
		t.Fatalf("installed wampgo: %v\n%s", err, out)
	}
	// It is the worktree's code: the version go install resolved.
	info, err := exec.Command("go", "version", "-m", installed).Output()
	if err != nil || !strings.Contains(string(info), "github.com/wampgo/wampgo\t"+fakeVersion) {
		t.Fatalf("go version -m: %v\n%s", err, info)
	}
}

// moduleRoot returns the directory of the module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// writeModuleProxy lays out a file:// module proxy at dir serving the module
// at root as fakeVersion: the files git tracks, or would (untracked files
// not ignored), as in a module zip.
func writeModuleProxy(t *testing.T, root, dir string) {
	t.Helper()
	const mod = "github.com/wampgo/wampgo"
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, name := range moduleFiles(t, root) {
		p := filepath.Join(root, filepath.FromSlash(name))
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the worktree, or a symlink: not in a module zip
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(mod + "@" + fakeVersion + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	v := filepath.Join(dir, filepath.FromSlash(mod), "@v")
	if err := os.MkdirAll(v, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":                []byte(fakeVersion + "\n"),
		fakeVersion + ".info": []byte(`{"Version":"` + fakeVersion + `","Time":"2026-01-01T00:00:00Z"}`),
		fakeVersion + ".mod":  gomod,
		fakeVersion + ".zip":  zbuf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(v, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// moduleFiles lists the files of the module at root, slash-separated: those
// git tracks or would track, or, outside a git checkout, every file but
// those of .git, bin and node_modules.
func moduleFiles(t *testing.T, root string) []string {
	t.Helper()
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	if out, err := ls.Output(); err == nil {
		return strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	}
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || rel == "bin") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}
