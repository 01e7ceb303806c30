import { RefObject, useEffect, useState } from 'react';

/**
 * Becomes true the first time an element comes within `rootMargin` of the
 * viewport, and stays true. Without IntersectionObserver it starts true.
 */
export function useInView(
  target: RefObject<Element>,
  rootMargin: string,
): boolean {
  const [inView, setInView] = useState(
    () => typeof IntersectionObserver === 'undefined',
  );

  useEffect(() => {
    const element = target.current;
    if (inView || !element) {
      return undefined;
    }
    const observer = new IntersectionObserver(
      entries => {
        if (entries.some(entry => entry.isIntersecting)) {
          setInView(true);
          observer.disconnect();
        }
      },
      { rootMargin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, rootMargin, inView]);

  return inView;
}
