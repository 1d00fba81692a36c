import { useEffect, useRef } from 'react';

export function Video({ stream, label, className, mirrored, audible }: { stream?: MediaStream; label: string; className: string; mirrored?: boolean; audible?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== (stream ?? null)) ref.current.srcObject = stream ?? null;
  }, [stream]);
  return <video ref={ref} className={`${className}${mirrored ? ' mirrored' : ''}`} aria-label={label} autoPlay playsInline muted={!audible} />;
}
