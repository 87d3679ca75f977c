import { href } from '../lib/route.js';

/** An event subject (`run:…`, `release:…`, `environment:…`) as a link to the page that shows it. */
export function SubjectLink({ subject }: { subject: string | null }) {
  if (!subject) return null;
  const [kind, id] = splitSubject(subject);
  const target = kind === 'run' && id ? href({ page: 'run', runId: id }) : kind === 'release' ? href({ page: 'releases' }) : kind === 'environment' ? href({ page: 'overview' }) : null;
  const text = id && id.length > 12 ? `${kind}:${id.slice(0, 8)}…` : subject;
  return target ? (
    <a className="subject mono" href={target} title={subject}>
      {text}
    </a>
  ) : (
    <span className="subject mono" title={subject}>
      {text}
    </span>
  );
}

function splitSubject(subject: string): [string, string | undefined] {
  const i = subject.indexOf(':');
  return i < 0 ? [subject, undefined] : [subject.slice(0, i), subject.slice(i + 1)];
}
