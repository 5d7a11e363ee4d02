package main

// RunPlugin: the engine's way to start a plugin written in Python, most often a policy pack
// (`pulumi preview --policy-pack DIR`). It follows what the upstream Python host does, so a pack
// or plugin behaves here as it does with the released CLI.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// RunPlugin runs a policy pack (kind "analyzer") with `python -m pulumi.policy`, any other plugin
// from its `__main__.py`, or, without one, as a buildable package through `pulumi.run.plugin`.
// The plugin's output goes back to the engine on the stream; a non-zero exit is sent as its code.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	analyzer := req.GetKind() == string(apitype.AnalyzerPlugin)
	opts, err := pythonOptions(req.GetInfo())
	if err != nil {
		return err
	}
	// Plugins never run in the ambient Python: like upstream, a plugin without a virtualenv option
	// uses ./venv. Policy packs keep the project-like behaviour (no default).
	if !analyzer && opts.Virtualenv == "" &&
		(opts.Toolchain == toolchain.Pip || opts.Toolchain == toolchain.Auto) {
		opts.Virtualenv = "venv"
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return fmt.Errorf("the Python plugin in %s: %w", req.GetInfo().GetProgramDirectory(), err)
	}
	cmd, err := pluginCommand(ctx, tc, req, analyzer)
	if err != nil {
		return err
	}
	if cmd.Env == nil { // no virtualenv: the toolchain left the environment to be inherited
		cmd.Env = os.Environ()
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	var proxy *sdk.PolicyProxy
	if analyzer {
		// pulumi-policy reads the stack (name, config, dry run) from the environment at start, but
		// the engine sends it over gRPC once the pack is up: a proxy takes that call first, then
		// starts the pack with the environment it expects and forwards everything else.
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
		}
		if cmd.Env, err = stackEnv(cmd.Env, stack); err != nil {
			return err
		}
	}
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := runPlugin(ctx, cmd, proxy); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())},
			})
		}
		return fmt.Errorf("could not run the Python plugin in %s: %w", req.GetInfo().GetProgramDirectory(), err)
	}
	return closer.Close()
}

func runPlugin(ctx context.Context, cmd *exec.Cmd, proxy *sdk.PolicyProxy) error {
	if err := cmd.Start(); err != nil {
		if proxy != nil {
			proxy.Abort(err)
		}
		return err
	}
	if proxy != nil {
		return proxy.Attach(ctx, cmd) // returns when the pack exits
	}
	return cmd.Wait()
}

// pluginCommand builds the Python command line for the plugin and its working directory.
func pluginCommand(ctx context.Context, tc toolchain.Toolchain, req *pulumirpc.RunPluginRequest, analyzer bool,
) (*exec.Cmd, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if analyzer {
		// Packs have always run from their own directory, with the directory as the last argument.
		args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		cmd, err := tc.Command(ctx, append(args, dir)...)
		if err != nil {
			return nil, err
		}
		cmd.Dir = dir
		return cmd, nil
	}
	root := req.GetInfo().GetRootDirectory()
	packaged, err := runsAsPackage(ctx, tc, root)
	if err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	if packaged {
		project, err := toolchain.LoadPyproject(root)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", filepath.Join(root, "pyproject.toml"), err)
		}
		cmd, err = tc.ModuleCommand(ctx, "pulumi.run.plugin", append([]string{project.Project.Name}, req.GetArgs()...)...)
		if err != nil {
			return nil, err
		}
	} else if cmd, err = tc.Command(ctx, append([]string{dir}, req.GetArgs()...)...); err != nil {
		return nil, err
	}
	cmd.Dir = req.GetPwd()
	return cmd, nil
}

// runsAsPackage is true for a plugin without __main__.py whose Pulumi SDK has `pulumi.run.plugin`;
// such a plugin must then be a buildable package (pyproject.toml with a build backend).
func runsAsPackage(ctx context.Context, tc toolchain.Toolchain, root string) (bool, error) {
	if _, err := os.Stat(filepath.Join(root, "__main__.py")); err == nil {
		return false, nil
	} else if !os.IsNotExist(err) {
		return false, fmt.Errorf("looking for __main__.py: %w", err)
	}
	check, err := tc.Command(ctx, "-c", "import pulumi.run.plugin")
	if err != nil {
		return false, err
	}
	if out, err := check.CombinedOutput(); err != nil && strings.Contains(string(out), "ModuleNotFoundError") {
		return false, nil // an SDK too old for packaged plugins: run the directory
	}
	buildable, err := toolchain.IsBuildablePackage(root)
	if err != nil {
		return false, fmt.Errorf("checking whether the plugin in %s is a buildable package: %w", root, err)
	}
	if !buildable {
		return false, fmt.Errorf("the plugin in %s is not runnable: it has neither __main__.py "+
			"nor a pyproject.toml with a build backend", root)
	}
	return true, nil
}

// stackEnv adds what pulumi-policy reads at start: the stack's name, project, organization,
// whether this is a preview, and its configuration.
func stackEnv(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil { // e.g. `pulumi policy publish`: no stack
		return env, nil
	}
	add := func(key, value string) {
		if value != "" {
			env = append(env, key+"="+value)
		}
	}
	add("PULUMI_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_PROJECT", stack.GetProject())
	add("PULUMI_STACK", stack.GetStack())
	add("PULUMI_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	if stack.GetConfig() != nil {
		config, err := json.Marshal(stack.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("encoding the stack configuration for the policy pack: %w", err)
		}
		add("PULUMI_CONFIG", string(config))
	}
	if keys := stack.GetConfigSecretKeys(); len(keys) > 0 {
		secret, err := json.Marshal(keys)
		if err != nil {
			return nil, fmt.Errorf("encoding the secret configuration keys for the policy pack: %w", err)
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(secret))
	}
	return env, nil
}
