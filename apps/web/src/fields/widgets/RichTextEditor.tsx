import { useEffect, useRef } from 'react';
import { Button, Space, Tooltip } from 'antd';
import { BoldOutlined, ClearOutlined, ItalicOutlined, LinkOutlined, OrderedListOutlined, UnderlineOutlined, UnorderedListOutlined } from '@ant-design/icons';
import './rich-text.css';

/**
 * A small rich-text editor over contentEditable: bold, italic, underline, lists,
 * links. The HTML it produces is sanitised again by the server on save.
 */
const TOOLS: [string, React.ReactNode, string, string?][] = [
  ['bold', <BoldOutlined />, 'Ctrl+B'],
  ['italic', <ItalicOutlined />, 'Ctrl+I'],
  ['underline', <UnderlineOutlined />, 'Ctrl+U'],
  ['insertUnorderedList', <UnorderedListOutlined />, '• list'],
  ['insertOrderedList', <OrderedListOutlined />, '1. list'],
  ['createLink', <LinkOutlined />, 'link'],
  ['removeFormat', <ClearOutlined />, 'clear'],
];

export default function RichTextEditor({ value, onChange, id }: { value?: string; onChange?: (html: string) => void; id?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Only write the DOM when the value changed from outside (not on every keystroke: that would move the caret).
    if (ref.current && ref.current.innerHTML !== (value ?? '')) ref.current.innerHTML = value ?? '';
  }, [value]);

  const run = (cmd: string) => {
    ref.current?.focus();
    if (cmd === 'createLink') {
      const url = window.prompt('URL', 'https://');
      if (!url || !/^(https?:|mailto:)/i.test(url)) return;
      document.execCommand(cmd, false, url);
    } else {
      document.execCommand(cmd);
    }
    onChange?.(ref.current?.innerHTML ?? '');
  };

  return (
    <div className="rte">
      <Space size={2} className="rte-toolbar">
        {TOOLS.map(([cmd, icon, tip]) => (
          <Tooltip key={cmd} title={tip}>
            <Button type="text" size="small" icon={icon} onMouseDown={(e) => e.preventDefault()} onClick={() => run(cmd)} aria-label={cmd} />
          </Tooltip>
        ))}
      </Space>
      <div
        id={id}
        ref={ref}
        className="rte-body rich-text"
        contentEditable
        role="textbox"
        aria-multiline
        suppressContentEditableWarning
        onInput={() => onChange?.(ref.current?.innerHTML ?? '')}
        onKeyDown={(e) => e.key === 'Enter' && e.stopPropagation()} // Enter is a new line here, not "save"
      />
    </div>
  );
}
