// Package clustertest proves that the test cluster of ci/test/k8s/cluster.sh behaves like a real one: the real
// kube-apiserver, controller manager and scheduler, with kwok standing in for kubelets.
//
// Run it with `bash ci/test/k8s/test.sh`, or against a running cluster with KUBECONFIG set: `go test ./clustertest/ -v`.
// Without KUBECONFIG, TestMain starts a cluster with cluster.sh and stops it at the end.
package clustertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

var (
	kubeconfig string
	restConfig *rest.Config
	client     kubernetes.Interface
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	kubeconfig = os.Getenv("KUBECONFIG")
	if kubeconfig == "" {
		state, err := os.MkdirTemp("", "helloagents-k8s-test.")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		script, _ := filepath.Abs(filepath.Join("..", "..", "cluster.sh"))
		cluster := func(verb string) error {
			cmd := exec.Command("bash", script, verb)
			cmd.Env = append(os.Environ(), "K8S_STATE_DIR="+state)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			return cmd.Run()
		}
		defer func() { _ = cluster("down") }() // runs on failure too: run returns, main exits afterwards
		if err := cluster("up"); err != nil {
			fmt.Fprintln(os.Stderr, "cluster.sh up failed:", err)
			return 1
		}
		kubeconfig = filepath.Join(state, "kubeconfig")
		os.Setenv("KUBECONFIG", kubeconfig)
	}
	var err error
	restConfig, err = clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reading kubeconfig:", err)
		return 1
	}
	restConfig.QPS, restConfig.Burst = 50, 100
	client = kubernetes.NewForConfigOrDie(restConfig)
	return m.Run()
}

// newNamespace gives the test a namespace of its own, deleted when the test ends.
func newNamespace(t *testing.T) string {
	t.Helper()
	base := strings.ToLower(regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(t.Name(), "-"))
	if len(base) > 40 {
		base = base[:40]
	}
	name := strings.Trim(base, "-") + "-" + rand.String(5)
	ctx := context.Background()
	_, err := client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		err := client.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Errorf("deleting namespace %s: %v", name, err)
		}
	})
	// Pods need the namespace's default ServiceAccount (the ServiceAccount admission plugin waits for it).
	eventually(t, 30*time.Second, "default ServiceAccount in "+name, func(ctx context.Context) (bool, error) {
		_, err := client.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
	return name
}

// eventually polls cond every 200ms until it returns true, failing the test after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func(ctx context.Context) (bool, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var last error
	err := wait.PollUntilContextCancel(ctx, 200*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		ok, err := cond(ctx)
		if err != nil {
			last = err
			return false, nil // keep polling: the API may be briefly busy
		}
		return ok, nil
	})
	if err != nil {
		t.Fatalf("timed out after %s waiting for %s (last error: %v)", timeout, what, last)
	}
}

// kubectl runs the real kubectl against the test cluster's kubeconfig.
func kubectl(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...).CombinedOutput()
	return string(out), err
}
