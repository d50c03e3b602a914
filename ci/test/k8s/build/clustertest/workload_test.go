package clustertest

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/utils/ptr"
)

// Pod annotations understood by the kwok stages in ci/test/k8s/stages/pod-behaviors.yaml.
const (
	behaviorAnnotation   = "helloagents.test/behavior"
	readyAfterAnnotation = "helloagents.test/ready-after"
)

type deploymentSpec struct {
	name        string
	replicas    int32
	labels      map[string]string // pod labels; the selector uses all of them
	image       string
	annotations map[string]string // pod template annotations (kwok behaviour)
	// progressDeadline, when set, lets the Deployment controller declare the rollout failed.
	progressDeadline int32
}

func newDeployment(s deploymentSpec) *appsv1.Deployment {
	if s.labels == nil {
		s.labels = map[string]string{"app": s.name}
	}
	if s.image == "" {
		s.image = "registry.example/helloagents/backend:v1"
	}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: s.name, Labels: s.labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(s.replicas),
			Selector: &metav1.LabelSelector{MatchLabels: s.labels},
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
			},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: s.labels, Annotations: s.annotations},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:  "app",
						Image: s.image,
						Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
					}},
					TerminationGracePeriodSeconds: ptr.To[int64](1),
				},
			},
		},
	}
	if s.progressDeadline > 0 {
		d.Spec.ProgressDeadlineSeconds = ptr.To(s.progressDeadline)
	}
	return d
}

func createDeployment(t *testing.T, ns string, s deploymentSpec) *appsv1.Deployment {
	t.Helper()
	d, err := client.AppsV1().Deployments(ns).Create(context.Background(), newDeployment(s), metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating deployment %s: %v", s.name, err)
	}
	return d
}

// waitDeploymentComplete waits until the Deployment controller reports the newest template fully rolled out and available.
func waitDeploymentComplete(t *testing.T, ns, name string, timeout time.Duration) *appsv1.Deployment {
	t.Helper()
	var d *appsv1.Deployment
	eventually(t, timeout, "deployment "+name+" to complete its rollout", func(ctx context.Context) (bool, error) {
		var err error
		d, err = client.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		want := *d.Spec.Replicas
		return d.Status.ObservedGeneration >= d.Generation && d.Status.UpdatedReplicas == want &&
			d.Status.Replicas == want && d.Status.AvailableReplicas == want && d.Status.ReadyReplicas == want, nil
	})
	return d
}

func listPods(t *testing.T, ns string, sel map[string]string) []corev1.Pod {
	t.Helper()
	pods, err := client.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: labels.SelectorFromSet(sel).String()})
	if err != nil {
		t.Fatalf("listing pods: %v", err)
	}
	var live []corev1.Pod
	for _, p := range pods.Items {
		if p.DeletionTimestamp == nil {
			live = append(live, p)
		}
	}
	return live
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func podIPs(pods []corev1.Pod) []string {
	var ips []string
	for _, p := range pods {
		ips = append(ips, p.Status.PodIP)
	}
	sort.Strings(ips)
	return ips
}

func images(d *appsv1.Deployment) string {
	var out []string
	for _, c := range d.Spec.Template.Spec.Containers {
		out = append(out, c.Image)
	}
	return strings.Join(out, ",")
}
