package clustertest

import (
	"context"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/utils/ptr"
)

// Generous enough that a holder on a busy 2-core machine still renews in time.
const leaseDuration = 5 * time.Second

type candidate struct {
	elector *leaderelection.LeaderElector
	cancel  context.CancelFunc
	done    chan struct{}
}

// campaign starts a leader-election candidate for the Lease ns/name; stop it with cancel (and wait on done).
func campaign(t *testing.T, ns, name, id string, releaseOnCancel bool) *candidate {
	t.Helper()
	le, err := leaderelection.NewLeaderElector(leaderelection.LeaderElectionConfig{
		Lock: &resourcelock.LeaseLock{
			LeaseMeta:  metav1.ObjectMeta{Namespace: ns, Name: name},
			Client:     client.CoordinationV1(),
			LockConfig: resourcelock.ResourceLockConfig{Identity: id},
		},
		LeaseDuration:   leaseDuration,
		RenewDeadline:   3500 * time.Millisecond,
		RetryPeriod:     500 * time.Millisecond,
		ReleaseOnCancel: releaseOnCancel,
		Name:            id,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(context.Context) {},
			OnStoppedLeading: func() {},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &candidate{elector: le, cancel: cancel, done: make(chan struct{})}
	go func() { defer close(c.done); le.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-c.done })
	return c
}

func holder(ctx context.Context, ns, name string) (string, error) {
	l, err := client.CoordinationV1().Leases(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return "", err
	}
	return ptr.Deref(l.Spec.HolderIdentity, ""), nil
}

func TestLeaseIsHeldByOneCandidateUntilReleasedOrExpired(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	a := campaign(t, ns, "deploy-lock", "deployer-a", true)
	eventually(t, 15*time.Second, "deployer-a to lead", func(ctx context.Context) (bool, error) { return a.elector.IsLeader(), nil })

	b := campaign(t, ns, "deploy-lock", "deployer-b", false)
	for end := time.Now().Add(2 * leaseDuration); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		if b.elector.IsLeader() {
			t.Fatal("deployer-b took the lease while deployer-a held and renewed it")
		}
	}
	if h, err := holder(context.Background(), ns, "deploy-lock"); err != nil || h != "deployer-a" {
		t.Fatalf("lease holder = %q (err %v), want deployer-a", h, err)
	}

	// A releases on shutdown: B takes over without waiting for the lease to expire.
	a.cancel()
	<-a.done
	released := time.Now()
	eventually(t, 15*time.Second, "deployer-b to lead after the release", func(ctx context.Context) (bool, error) { return b.elector.IsLeader(), nil })
	t.Logf("deployer-b led %s after deployer-a released", time.Since(released).Round(time.Millisecond))

	// B dies without releasing: C must wait for the lease to expire.
	c := campaign(t, ns, "deploy-lock", "deployer-c", true)
	time.Sleep(time.Second) // let C observe B's renewals
	b.cancel()
	<-b.done
	died := time.Now()
	eventually(t, 30*time.Second, "deployer-c to lead after the lease expired", func(ctx context.Context) (bool, error) { return c.elector.IsLeader(), nil })
	if waited := time.Since(died); waited < leaseDuration-time.Second {
		t.Fatalf("deployer-c led %s after deployer-b died, before the %s lease could expire", waited, leaseDuration)
	}
	if h, err := holder(context.Background(), ns, "deploy-lock"); err != nil || h != "deployer-c" {
		t.Fatalf("lease holder = %q (err %v), want deployer-c", h, err)
	}
}

func TestLeaseUpdateWithAStaleResourceVersionConflicts(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	leases := client.CoordinationV1().Leases(ns)
	ctx := context.Background()
	created, err := leases.Create(ctx, &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: "deploy-lock"},
		Spec:       coordinationv1.LeaseSpec{LeaseDurationSeconds: ptr.To[int32](15)},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	first, second := created.DeepCopy(), created.DeepCopy()
	now := metav1.NewMicroTime(time.Now())
	first.Spec.HolderIdentity, first.Spec.AcquireTime = ptr.To("deployer-a"), &now
	second.Spec.HolderIdentity, second.Spec.AcquireTime = ptr.To("deployer-b"), &now
	if _, err := leases.Update(ctx, first, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("first acquisition failed: %v", err)
	}
	if _, err := leases.Update(ctx, second, metav1.UpdateOptions{}); !apierrors.IsConflict(err) {
		t.Fatalf("second acquisition from the same resourceVersion: err = %v, want a Conflict", err)
	}
	if h, err := holder(ctx, ns, "deploy-lock"); err != nil || h != "deployer-a" {
		t.Fatalf("lease holder = %q (err %v), want deployer-a", h, err)
	}
}
