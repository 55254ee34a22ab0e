/** The 星政通 mark: a white star on the brand-blue rounded square (same as the favicon). */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#1f5fbf" />
      <path
        d="M32 10l6.2 13.6 14.8 1.6-11 10 3.1 14.6L32 42.4 18.9 49.8 22 35.2l-11-10 14.8-1.6z"
        fill="#fff"
      />
    </svg>
  )
}
