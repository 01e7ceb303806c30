import { act } from '@testing-library/react';

interface Observer {
  callback: IntersectionObserverCallback;
  options?: IntersectionObserverInit;
  targets: Set<Element>;
  instance: IntersectionObserver;
}

/**
 * Replaces jsdom's missing IntersectionObserver with one the test drives:
 * nothing is in view until `intersect` says so.
 */
export function mockIntersectionObserver() {
  const observers = new Set<Observer>();

  class MockIntersectionObserver {
    readonly root = null;
    readonly rootMargin = '';
    readonly thresholds = [];
    private readonly observer: Observer;

    constructor(
      callback: IntersectionObserverCallback,
      options?: IntersectionObserverInit,
    ) {
      this.observer = {
        callback,
        options,
        targets: new Set(),
        instance: this as unknown as IntersectionObserver,
      };
      observers.add(this.observer);
    }
    observe(target: Element) {
      this.observer.targets.add(target);
    }
    unobserve(target: Element) {
      this.observer.targets.delete(target);
    }
    disconnect() {
      this.observer.targets.clear();
      observers.delete(this.observer);
    }
    takeRecords() {
      return [];
    }
  }

  const original = (globalThis as any).IntersectionObserver;
  (globalThis as any).IntersectionObserver = MockIntersectionObserver;

  return {
    /** Reports the element (or what contains it) as scrolled into view. */
    intersect(element: Element) {
      act(() => {
        for (const observer of [...observers]) {
          const hits = [...observer.targets].filter(
            target => target === element || target.contains(element),
          );
          if (hits.length > 0) {
            observer.callback(
              hits.map(
                target =>
                  ({
                    target,
                    isIntersecting: true,
                    intersectionRatio: 1,
                  } as IntersectionObserverEntry),
              ),
              observer.instance,
            );
          }
        }
      });
    },
    /** The elements being watched now. */
    observed(): Element[] {
      return [...observers].flatMap(observer => [...observer.targets]);
    },
    restore() {
      (globalThis as any).IntersectionObserver = original;
    },
  };
}
