// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package packaging

import (
	"bufio"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

const (
	repoRoot       = "../../.."
	defaultConfig  = "../config.yaml"
	envTemplate    = "linux/otelcol-logzio-aws.env"
	systemdUnit    = "linux/otelcol-logzio-aws.service"
	nfpmConfig     = "nfpm.yaml"
	dockerfile     = "../Dockerfile"
	dockerignore   = "../Dockerfile.dockerignore"
	serviceUser    = "otelcol-logzio-aws"
	installedBin   = "/usr/bin/otelcol-logzio-aws"
	installedConf  = "/etc/otelcol-logzio-aws/config.yaml"
	installedEnv   = "/etc/otelcol-logzio-aws/otelcol-logzio-aws.env"
	installedState = "/var/lib/otelcol-logzio-aws"
	windowsSource  = "windows/otelcol-logzio-aws.wxs"
	windowsReadme  = "windows/README.txt"
	// healthCheckGate makes the health_check extension follow component status; config.yaml's health_check block
	// (http, component_health) is refused without it.
	healthCheckGate = "--feature-gates=extension.healthcheck.useComponentStatus"
)

var envReference = regexp.MustCompile(`\$\{env:([A-Za-z_][A-Za-z0-9_]*)`)

// The env file is the only place a packaged install is configured: it must mention every variable config.yaml reads.
func TestEnvTemplateListsEveryConfigVariable(t *testing.T) {
	listed := envTemplateNames(t)

	var used []string
	for _, line := range strings.Split(readFile(t, defaultConfig), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue // comments explain the ${env:NAME:-default} syntax
		}
		for _, match := range envReference.FindAllStringSubmatch(line, -1) {
			used = append(used, match[1])
		}
	}
	require.NotEmpty(t, used, "config.yaml reads no ${env:...} variable: the env file would have nothing to set")
	for _, name := range used {
		assert.Contains(t, listed, name, "config.yaml reads ${env:%s}: add a commented %s= line to %s", name, name, envTemplate)
	}
}

// As shipped the env file sets nothing: an uncommented NAME= would replace config.yaml's default with "" (the env
// provider uses the default only for unset variables).
func TestEnvTemplateSetsNothing(t *testing.T) {
	scanner := bufio.NewScanner(strings.NewReader(readFile(t, envTemplate)))
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		assert.True(t, text == "" || strings.HasPrefix(text, "#"), "%s:%d sets a variable as shipped: %q", envTemplate, line, text)
	}
}

type nfpmFile struct {
	Src      string `yaml:"src"`
	Dst      string `yaml:"dst"`
	Type     string `yaml:"type"`
	FileInfo struct {
		Mode  os.FileMode `yaml:"mode"`
		Owner string      `yaml:"owner"`
		Group string      `yaml:"group"`
	} `yaml:"file_info"`
}

type nfpmPackage struct {
	Name     string            `yaml:"name"`
	Version  string            `yaml:"version"`
	Contents []nfpmFile        `yaml:"contents"`
	Scripts  map[string]string `yaml:"scripts"`
}

func TestPackageContents(t *testing.T) {
	pkg := readNfpm(t)
	assert.Equal(t, "otelcol-logzio-aws", pkg.Name)
	assert.Equal(t, "${VERSION}", pkg.Version, "the version comes from builder-config.yaml's dist.version through scripts/package-linux.sh")

	byDst := map[string]nfpmFile{}
	for _, file := range pkg.Contents {
		byDst[file.Dst] = file
		if file.Src != "" {
			if file.Src == "bin/otelcol-logzio-aws" {
				continue // built by make build
			}
			assert.FileExists(t, filepath.Join(repoRoot, file.Src), "nfpm.yaml packages %s", file.Src)
		}
	}

	bin := requireEntry(t, byDst, installedBin)
	assert.Equal(t, "bin/otelcol-logzio-aws", bin.Src)
	assert.Equal(t, "0755", octal(bin.FileInfo.Mode))

	conf := requireEntry(t, byDst, installedConf)
	assert.Equal(t, "distributions/otelcol-logzio-aws/config.yaml", conf.Src)
	assert.Equal(t, "config|noreplace", conf.Type, "an upgrade must keep the administrator's config.yaml")

	env := requireEntry(t, byDst, installedEnv)
	assert.Equal(t, "config|noreplace", env.Type, "an upgrade must keep the administrator's tokens")
	assert.Equal(t, "0600", octal(env.FileInfo.Mode), "the env file holds tokens")
	assert.Equal(t, serviceUser, env.FileInfo.Owner)

	state := requireEntry(t, byDst, installedState)
	assert.Equal(t, "dir", state.Type)
	assert.Equal(t, serviceUser, state.FileInfo.Owner)

	unit := requireEntry(t, byDst, "/usr/lib/systemd/system/otelcol-logzio-aws.service")
	assert.Equal(t, "distributions/otelcol-logzio-aws/packaging/"+systemdUnit, unit.Src)

	for _, script := range []string{"preinstall", "postinstall", "preremove", "postremove"} {
		path := pkg.Scripts[script]
		require.NotEmpty(t, path, "nfpm.yaml has no %s script", script)
		assert.FileExists(t, filepath.Join(repoRoot, path))
	}
	assert.Contains(t, readFile(t, filepath.Join(repoRoot, pkg.Scripts["preinstall"])), "SERVICE_USER="+serviceUser,
		"preinstall must create the user the unit runs as")
}

func TestSystemdUnitRunsThePackagedFiles(t *testing.T) {
	unit := parseUnit(t, readFile(t, systemdUnit))

	assert.Equal(t, []string{serviceUser}, unit["User"], "the service runs as the unprivileged user preinstall creates")
	assert.Equal(t, []string{installedEnv}, unit["EnvironmentFile"])
	assert.Equal(t, []string{installedBin + " --config=" + installedConf + " " + healthCheckGate}, unit["ExecStart"])
	assert.Equal(t, []string{filepath.Base(installedState)}, unit["StateDirectory"])
	assert.Equal(t, []string{installedState}, unit["ReadWritePaths"])
	assert.Equal(t, []string{"on-failure"}, unit["Restart"])
	for key, want := range map[string]string{
		"NoNewPrivileges":  "yes",
		"ProtectSystem":    "strict",
		"ProtectHome":      "yes",
		"PrivateTmp":       "yes",
		"RestrictSUIDSGID": "yes",
	} {
		assert.Equal(t, []string{want}, unit[key], "hardening setting %s", key)
	}
	assert.Equal(t, []string{""}, unit["CapabilityBoundingSet"], "the service needs no capability")
	assert.Equal(t, []string{"multi-user.target"}, unit["WantedBy"])
}

// The image runs the file it copies, with the config it copies, as a non-root user, and keeps state where it can write.
func TestDockerfile(t *testing.T) {
	image := parseDockerfile(t, readFile(t, dockerfile))

	assert.Regexp(t, `^(gcr\.io/distroless/static[-\w]*:nonroot|scratch)$`, image.from)
	require.NotEmpty(t, image.user, "the image needs a USER")
	assert.NotContains(t, []string{"0", "root", "0:0", "root:root"}, image.user, "the image must not run as root")

	binary := image.copyDestination(t, "bin/otelcol-logzio-aws")
	config := image.copyDestination(t, "distributions/otelcol-logzio-aws/config.yaml")
	require.GreaterOrEqual(t, len(image.entrypoint), 3, "ENTRYPOINT should be [binary, --config, path]")
	assert.Equal(t, binary, image.entrypoint[0], "ENTRYPOINT runs the copied binary")
	configFlag := slices.Index(image.entrypoint, "--config")
	require.GreaterOrEqual(t, configFlag, 0, "ENTRYPOINT has no --config")
	require.Less(t, configFlag+1, len(image.entrypoint))
	assert.Equal(t, config, image.entrypoint[configFlag+1], "ENTRYPOINT's --config is where config.yaml is copied")
	assert.Contains(t, image.entrypoint, healthCheckGate, "config.yaml's health_check needs the feature gate")

	storage := strings.TrimSuffix(image.copyDestination(t, "distributions/otelcol-logzio-aws/packaging/docker/storage/"), "/")
	assert.Equal(t, storage, image.env["STORAGE_DIR"], "STORAGE_DIR is the directory copied for the non-root user")
	assert.Equal(t, strings.SplitN(image.user, ":", 2)[0], strings.SplitN(image.copyChown[storage+"/"], ":", 2)[0],
		"the state directory belongs to the image's user")

	ignore := readFile(t, dockerignore)
	for _, copied := range image.copySources {
		if strings.HasSuffix(copied, "/") {
			assert.DirExists(t, filepath.Join(repoRoot, copied), "COPY %s", copied)
		} else if copied != "bin/otelcol-logzio-aws" { // built by make build
			assert.FileExists(t, filepath.Join(repoRoot, copied), "COPY %s", copied)
		}
		assert.Contains(t, ignore, "!"+copied, "%s must re-include %s, or the build context lacks it", dockerignore, copied)
	}
}

// The image has no C library and no dynamic loader: the binary must be statically linked. Needs `make build`; the
// packaging test (PACKAGING_REQUIRE_BINARY=1) makes a missing binary a failure.
func TestImageBinaryIsStatic(t *testing.T) {
	path := filepath.Join(repoRoot, "bin", "otelcol-logzio-aws")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("PACKAGING_REQUIRE_BINARY") != "" {
			t.Fatalf("%s: %v (run make build)", path, err)
		}
		t.Skipf("%s not built (make build): skipped", path)
	}

	file, err := elf.Open(path)
	require.NoError(t, err)
	defer file.Close()
	for _, prog := range file.Progs {
		assert.NotEqual(t, elf.PT_INTERP, prog.Type, "%s asks for a dynamic loader: build it with CGO_ENABLED=0", path)
	}
	libraries, err := file.ImportedLibraries()
	require.NoError(t, err)
	assert.Empty(t, libraries, "%s needs shared libraries", path)

	info, err := buildinfo.ReadFile(path)
	require.NoError(t, err)
	settings := map[string]string{}
	for _, setting := range info.Settings {
		settings[setting.Key] = setting.Value
	}
	assert.Equal(t, "0", settings["CGO_ENABLED"])
	assert.Equal(t, "linux", settings["GOOS"])
}

// config.yaml's health check follows component status, which needs the feature gate: every place that starts or
// validates the binary with it passes the gate (a missing gate is a collector that refuses to start).
func TestEveryLauncherPassesTheHealthCheckFeatureGate(t *testing.T) {
	var cfg struct {
		Extensions struct {
			HealthCheck struct {
				HTTP struct {
					Endpoint string `yaml:"endpoint"`
					Status   struct {
						Enabled bool   `yaml:"enabled"`
						Path    string `yaml:"path"`
					} `yaml:"status"`
				} `yaml:"http"`
				ComponentHealth struct {
					IncludePermanent   bool   `yaml:"include_permanent_errors"`
					IncludeRecoverable bool   `yaml:"include_recoverable_errors"`
					RecoveryDuration   string `yaml:"recovery_duration"`
				} `yaml:"component_health"`
			} `yaml:"health_check"`
		} `yaml:"extensions"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(readFile(t, defaultConfig)), &cfg))
	hc := cfg.Extensions.HealthCheck
	assert.Equal(t, "${env:HEALTH_CHECK_ENDPOINT:-localhost:13133}", hc.HTTP.Endpoint)
	assert.True(t, hc.HTTP.Status.Enabled)
	assert.Equal(t, "/", hc.HTTP.Status.Path, "the path probes and load balancers already use")
	assert.True(t, hc.ComponentHealth.IncludePermanent)
	assert.True(t, hc.ComponentHealth.IncludeRecoverable, "the receivers report access problems as recoverable errors")
	assert.NotEmpty(t, hc.ComponentHealth.RecoveryDuration)

	wxs := readFile(t, windowsSource)
	arguments := regexp.MustCompile(`(?s)<ServiceInstall\b[^>]*\bArguments="([^"]*)"`).FindStringSubmatch(wxs)
	require.NotNil(t, arguments, "%s: ServiceInstall Arguments", windowsSource)
	assert.Contains(t, arguments[1], healthCheckGate, "the Windows service's arguments")

	// Every command line the documentation gives for running or validating the shipped config.
	for _, doc := range []string{windowsReadme, "README.md"} {
		for i, line := range strings.Split(readFile(t, doc), "\n") {
			if strings.Contains(line, "--config") && (strings.Contains(line, "validate") || strings.Contains(line, ".exe")) {
				assert.Contains(t, line, healthCheckGate, "%s:%d", doc, i+1)
			}
		}
	}
}

func octal(mode os.FileMode) string { return fmt.Sprintf("%#o", uint32(mode)) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

func envTemplateNames(t *testing.T) []string {
	t.Helper()
	assignment := regexp.MustCompile(`^#?\s*([A-Z_][A-Z0-9_]*)=`)
	var names []string
	for _, line := range strings.Split(readFile(t, envTemplate), "\n") {
		if match := assignment.FindStringSubmatch(strings.TrimSpace(line)); match != nil {
			names = append(names, match[1])
		}
	}
	return names
}

func readNfpm(t *testing.T) nfpmPackage {
	t.Helper()
	var pkg nfpmPackage
	require.NoError(t, yaml.Unmarshal([]byte(readFile(t, nfpmConfig)), &pkg))
	return pkg
}

func requireEntry(t *testing.T, byDst map[string]nfpmFile, dst string) nfpmFile {
	t.Helper()
	entry, ok := byDst[dst]
	require.True(t, ok, "nfpm.yaml does not install %s", dst)
	return entry
}

// parseUnit returns the values of each key of a systemd unit file, in order (sections are not told apart: the keys
// this test reads are unique).
func parseUnit(t *testing.T, text string) map[string][]string {
	t.Helper()
	values := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") || strings.HasPrefix(line, "[") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		require.True(t, ok, "not a key=value line: %q", line)
		values[key] = append(values[key], value)
	}
	return values
}

type dockerImage struct {
	from        string
	user        string
	entrypoint  []string
	env         map[string]string
	copySources []string
	copyDest    map[string]string // source -> destination
	copyChown   map[string]string // destination -> --chown value
}

func (image dockerImage) copyDestination(t *testing.T, source string) string {
	t.Helper()
	dst, ok := image.copyDest[source]
	require.True(t, ok, "the Dockerfile does not COPY %s", source)
	return dst
}

// parseDockerfile reads the instructions this Dockerfile uses: FROM, COPY [--chown=] src dst, ENV k=v..., USER and
// ENTRYPOINT in exec form.
func parseDockerfile(t *testing.T, text string) dockerImage {
	t.Helper()
	image := dockerImage{env: map[string]string{}, copyDest: map[string]string{}, copyChown: map[string]string{}}
	var instructions []string
	var current strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if current.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if continued, ok := strings.CutSuffix(trimmed, `\`); ok {
			current.WriteString(continued + " ")
			continue
		}
		current.WriteString(trimmed)
		instructions = append(instructions, current.String())
		current.Reset()
	}

	for _, instruction := range instructions {
		keyword, rest, _ := strings.Cut(instruction, " ")
		fields := strings.Fields(rest)
		switch strings.ToUpper(keyword) {
		case "FROM":
			image.from = fields[0]
		case "USER":
			image.user = fields[0]
		case "ENV":
			for _, field := range fields {
				key, value, ok := strings.Cut(field, "=")
				require.True(t, ok, "ENV %s: use the key=value form", field)
				image.env[key] = value
			}
		case "COPY":
			var chown string
			for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
				if value, ok := strings.CutPrefix(fields[0], "--chown="); ok {
					chown = value
				}
				fields = fields[1:]
			}
			require.Len(t, fields, 2, "COPY %s: one source and one destination", rest)
			image.copySources = append(image.copySources, fields[0])
			image.copyDest[fields[0]] = fields[1]
			image.copyChown[fields[1]] = chown
		case "ENTRYPOINT":
			require.NoError(t, json.Unmarshal([]byte(rest), &image.entrypoint), "ENTRYPOINT must use the exec (JSON) form")
		}
	}
	return image
}
