package clustertest

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func TestDeploymentCreatesReplicaSetAndReadyPodsOnKwokNodes(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	createDeployment(t, ns, deploymentSpec{name: "web", replicas: 3})
	d := waitDeploymentComplete(t, ns, "web", 60*time.Second)

	rss, err := client.AppsV1().ReplicaSets(ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rss.Items) != 1 {
		t.Fatalf("want exactly 1 ReplicaSet, got %d", len(rss.Items))
	}
	rs := rss.Items[0]
	if owner := metav1.GetControllerOf(&rs); owner == nil || owner.UID != d.UID {
		t.Fatalf("ReplicaSet %s is not controlled by deployment web (owner %v)", rs.Name, owner)
	}
	pods := listPods(t, ns, map[string]string{"app": "web"})
	if len(pods) != 3 {
		t.Fatalf("want 3 pods, got %d", len(pods))
	}
	for _, p := range pods {
		if owner := metav1.GetControllerOf(&p); owner == nil || owner.UID != rs.UID {
			t.Errorf("pod %s is not controlled by ReplicaSet %s", p.Name, rs.Name)
		}
		if !strings.HasPrefix(p.Spec.NodeName, "kwok-node-") {
			t.Errorf("pod %s was scheduled to %q, want a kwok node", p.Name, p.Spec.NodeName)
		}
		if p.Status.Phase != corev1.PodRunning || !podReady(&p) || p.Status.PodIP == "" {
			t.Errorf("pod %s: phase %s ready %v ip %q, want Running, Ready, with an IP", p.Name, p.Status.Phase, podReady(&p), p.Status.PodIP)
		}
	}
}

func TestRolloutOfNewTemplateCompletesAndKubectlRolloutStatusAgrees(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	createDeployment(t, ns, deploymentSpec{name: "api", replicas: 2, image: "registry.example/api:v1"})
	first := waitDeploymentComplete(t, ns, "api", 60*time.Second)

	patch := `{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example/api:v2"}]}}}}`
	if _, err := client.AppsV1().Deployments(ns).Patch(context.Background(), "api", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err := kubectl("-n", ns, "rollout", "status", "deployment/api", "--timeout=60s")
	if err != nil {
		t.Fatalf("kubectl rollout status failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "successfully rolled out") {
		t.Fatalf("kubectl rollout status did not report success:\n%s", out)
	}
	d := waitDeploymentComplete(t, ns, "api", 10*time.Second)
	if d.Generation <= first.Generation {
		t.Fatalf("generation did not advance: %d -> %d", first.Generation, d.Generation)
	}
	for _, p := range listPods(t, ns, map[string]string{"app": "api"}) {
		if img := p.Spec.Containers[0].Image; img != "registry.example/api:v2" {
			t.Errorf("pod %s still runs %s after the rollout", p.Name, img)
		}
	}
	rss, err := client.AppsV1().ReplicaSets(ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app=api"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rss.Items) != 2 {
		t.Fatalf("want the old and the new ReplicaSet, got %d", len(rss.Items))
	}
	for _, rs := range rss.Items {
		if rs.Spec.Template.Spec.Containers[0].Image == "registry.example/api:v1" && *rs.Spec.Replicas != 0 {
			t.Errorf("old ReplicaSet %s still wants %d replicas", rs.Name, *rs.Spec.Replicas)
		}
	}
}

func TestRolloutUndoBringsBackThePreviousTemplate(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	createDeployment(t, ns, deploymentSpec{name: "api", replicas: 2, image: "registry.example/api:v1"})
	waitDeploymentComplete(t, ns, "api", 60*time.Second)
	if out, err := kubectl("-n", ns, "set", "image", "deployment/api", "app=registry.example/api:v2"); err != nil {
		t.Fatalf("kubectl set image: %v\n%s", err, out)
	}
	if out, err := kubectl("-n", ns, "rollout", "status", "deployment/api", "--timeout=60s"); err != nil {
		t.Fatalf("rollout to v2: %v\n%s", err, out)
	}

	if out, err := kubectl("-n", ns, "rollout", "undo", "deployment/api"); err != nil {
		t.Fatalf("kubectl rollout undo: %v\n%s", err, out)
	}
	if out, err := kubectl("-n", ns, "rollout", "status", "deployment/api", "--timeout=60s"); err != nil {
		t.Fatalf("rollout status after undo: %v\n%s", err, out)
	}
	d := waitDeploymentComplete(t, ns, "api", 10*time.Second)
	if got := images(d); got != "registry.example/api:v1" {
		t.Fatalf("after undo the template runs %s, want registry.example/api:v1", got)
	}
	if rev := d.Annotations["deployment.kubernetes.io/revision"]; rev != "3" {
		t.Errorf("revision after undo = %q, want 3 (v1 re-promoted)", rev)
	}
	for _, p := range listPods(t, ns, map[string]string{"app": "api"}) {
		if img := p.Spec.Containers[0].Image; img != "registry.example/api:v1" {
			t.Errorf("pod %s runs %s after undo", p.Name, img)
		}
	}
}

func TestKubectlGetNodesListsReadyKwokNodes(t *testing.T) {
	t.Parallel()
	out, err := kubectl("get", "nodes", "-l", "type=kwok", "-o", "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type==\"Ready\")].status", "--no-headers")
	if err != nil {
		t.Fatalf("kubectl get nodes: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("want at least 2 kwok nodes, got:\n%s", out)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 2 || !strings.HasPrefix(f[0], "kwok-node-") || f[1] != "True" {
			t.Errorf("unexpected node line %q", l)
		}
	}
	ver, err := kubectl("version", "-o", "json")
	if err != nil || !strings.Contains(ver, `"serverVersion"`) {
		t.Fatalf("kubectl version: %v\n%s", err, ver)
	}
}

// assertNoPodReadyFor fails the test if any selected pod is Ready at any point during hold.
func assertNoPodReadyFor(t *testing.T, ns string, sel map[string]string, hold time.Duration) []corev1.Pod {
	t.Helper()
	deadline := time.Now().Add(hold)
	var pods []corev1.Pod
	for time.Now().Before(deadline) {
		pods = listPods(t, ns, sel)
		for _, p := range pods {
			if podReady(&p) {
				t.Fatalf("pod %s became Ready", p.Name)
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return pods
}

func TestNeverReadyPodsMakeTheRolloutFailItsProgressDeadline(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	createDeployment(t, ns, deploymentSpec{
		name: "green", replicas: 2, progressDeadline: 8,
		annotations: map[string]string{behaviorAnnotation: "never-ready"},
	})
	out, err := kubectl("-n", ns, "rollout", "status", "deployment/green", "--timeout=5s")
	if err == nil {
		t.Fatalf("kubectl rollout status succeeded for never-ready pods:\n%s", out)
	}
	eventually(t, 60*time.Second, "ProgressDeadlineExceeded", func(ctx context.Context) (bool, error) {
		d, err := client.AppsV1().Deployments(ns).Get(ctx, "green", metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		for _, c := range d.Status.Conditions {
			if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
				return true, nil
			}
		}
		return false, nil
	})
	out, err = kubectl("-n", ns, "rollout", "status", "deployment/green", "--timeout=20s")
	if err == nil || !strings.Contains(out, "exceeded its progress deadline") {
		t.Fatalf("kubectl rollout status should report the exceeded deadline, got err=%v:\n%s", err, out)
	}
	pods := assertNoPodReadyFor(t, ns, map[string]string{"app": "green"}, 2*time.Second)
	if len(pods) != 2 {
		t.Fatalf("want 2 pods, got %d", len(pods))
	}
	for _, p := range pods {
		if p.Status.Phase != corev1.PodRunning || p.Status.PodIP == "" {
			t.Errorf("pod %s: phase %s ip %q, want Running with an IP (but not Ready)", p.Name, p.Status.Phase, p.Status.PodIP)
		}
	}
}

func TestReadyAfterPodsBecomeReadyOnlyAfterTheirDelay(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	const delay = 4 * time.Second
	start := time.Now()
	createDeployment(t, ns, deploymentSpec{
		name: "green", replicas: 2,
		annotations: map[string]string{behaviorAnnotation: "ready-after", readyAfterAnnotation: delay.String()},
	})
	sawRunningNotReady := false
	eventually(t, 60*time.Second, "ready-after pods to be Ready", func(ctx context.Context) (bool, error) {
		pods := listPods(t, ns, map[string]string{"app": "green"})
		ready := 0
		for _, p := range pods {
			if podReady(&p) {
				ready++
			} else if p.Status.Phase == corev1.PodRunning {
				sawRunningNotReady = true
			}
		}
		return len(pods) == 2 && ready == 2, nil
	})
	if elapsed := time.Since(start); elapsed < delay {
		t.Fatalf("pods were Ready after %s, before the %s delay", elapsed, delay)
	}
	if !sawRunningNotReady {
		t.Errorf("never saw a pod Running but not yet Ready")
	}
	for _, p := range listPods(t, ns, map[string]string{"app": "green"}) {
		var readyAt time.Time
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady {
				readyAt = c.LastTransitionTime.Time
			}
		}
		// Kubernetes timestamps have second precision: allow one second of rounding.
		if gap := readyAt.Sub(p.Status.StartTime.Time); gap < delay-time.Second {
			t.Errorf("pod %s: Ready %s after start, want about %s", p.Name, gap, delay)
		}
	}
	if out, err := kubectl("-n", ns, "rollout", "status", "deployment/green", "--timeout=30s"); err != nil {
		t.Fatalf("rollout status after the delay: %v\n%s", err, out)
	}
}

func TestCrashingPodsRestartAndNeverBecomeReady(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	createDeployment(t, ns, deploymentSpec{
		name: "green", replicas: 1,
		annotations: map[string]string{behaviorAnnotation: "crash"},
	})
	eventually(t, 60*time.Second, "a pod that crashed more than once", func(ctx context.Context) (bool, error) {
		for _, p := range listPods(t, ns, map[string]string{"app": "green"}) {
			if podReady(&p) {
				t.Fatalf("crashing pod %s is Ready", p.Name)
			}
			for _, cs := range p.Status.ContainerStatuses {
				if cs.RestartCount >= 2 && cs.State.Waiting != nil && cs.State.Waiting.Reason == "CrashLoopBackOff" &&
					cs.LastTerminationState.Terminated != nil && cs.LastTerminationState.Terminated.ExitCode != 0 {
					return true, nil
				}
			}
		}
		return false, nil
	})
	d, err := client.AppsV1().Deployments(ns).Get(context.Background(), "green", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status.AvailableReplicas != 0 || d.Status.UnavailableReplicas != 1 {
		t.Fatalf("deployment: available %d unavailable %d, want 0 and 1", d.Status.AvailableReplicas, d.Status.UnavailableReplicas)
	}
	if out, err := kubectl("-n", ns, "rollout", "status", "deployment/green", "--timeout=3s"); err == nil {
		t.Fatalf("kubectl rollout status succeeded for a crashing deployment:\n%s", out)
	}
}
